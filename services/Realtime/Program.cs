var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.AddLiveKit();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
app.MapTranscriptsApi();
app.MapConversationApi();
app.MapLiveKitApi();
app.MapDeadLettersApi("/v1/realtime");

app.Run();

public partial class Program;

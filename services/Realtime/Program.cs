var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
app.MapTranscriptsApi();
app.MapConversationApi();
app.MapDeadLettersApi("/v1/realtime");

app.Run();

public partial class Program;

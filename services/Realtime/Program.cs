var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTranscriptsApi();
app.MapDeadLettersApi("/v1/realtime");

app.Run();

public partial class Program;

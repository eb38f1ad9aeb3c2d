var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapFeedbackApi();
app.MapPatientApi();
app.MapDeadLettersApi("/v1/ai");

app.Run();

public partial class Program;

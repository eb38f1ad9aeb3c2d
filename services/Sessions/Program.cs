var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSessionsApi();
app.MapProgressApi();
app.MapDeadLettersApi("/v1/sessions");

app.Run();

public partial class Program;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPlansApi();
app.MapDeadLettersApi("/v1/billing");

app.Run();

public partial class Program;

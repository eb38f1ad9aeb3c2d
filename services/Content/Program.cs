var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapScenariosApi();
app.MapScenarioAuthoringApi();
app.MapRatingsAndRecommendationsApi();
app.MapMediaApi();
app.MapRepublishApi();
app.MapDeadLettersApi("/v1/content");

app.Run();

public partial class Program;

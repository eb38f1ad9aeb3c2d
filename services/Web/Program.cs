using PracticePlatform.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebAppHosting();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseWebAppFiles();
app.MapWebAppConfiguration();
app.MapWebAppFallback();

app.Run();

public partial class Program;

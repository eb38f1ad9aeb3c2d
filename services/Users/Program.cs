var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapInstitutionsApi();
app.MapAccountsApi();
app.MapEmailAndPasswordApi();
app.MapLoginSessionsApi();
app.MapInstitutionAdminApi();
app.MapJwksApi();
app.MapDeadLettersApi("/v1/users");

app.Run();

public partial class Program;

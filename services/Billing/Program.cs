var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPlansApi();
app.MapEntitlementsApi();
app.MapSubscriptionsApi();
app.MapInstitutionsBillingApi();
app.MapInvoicesApi();
app.MapUsageApi();
app.MapPaymentMethodsApi();
app.MapWebhooksApi();
app.MapBillingAdminApi();
app.MapDeadLettersApi("/v1/billing");

app.Run();

public partial class Program;

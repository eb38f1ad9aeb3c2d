using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<BillingDbContext>("billingdb");
        builder.Services.AddMigration<BillingDbContext>(BillingDbSeed.SeedAsync);
        builder.AddEventBus<BillingDbContext>("redis");
        builder.Services.AddValidation();
    }
}

using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Redis;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<BillingDbContext>("billingdb");
        builder.AddRedisClient("redis");
        builder.Services.AddMigration<BillingDbContext>(BillingDbSeed.SeedAsync);
        builder.Services.AddValidation();
    }
}

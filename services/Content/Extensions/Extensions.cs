using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Redis;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ContentDbContext>("contentdb");
        builder.AddRedisClient("redis");
        builder.Services.AddMigration<ContentDbContext>(ContentDbSeed.SeedAsync);
        builder.Services.AddValidation();
    }
}

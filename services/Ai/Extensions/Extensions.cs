using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Redis;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AiDbContext>("aidb");
        builder.AddRedisClient("redis");
        builder.Services.AddMigration<AiDbContext>();
        builder.Services.AddValidation();
    }
}

using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Redis;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<RealtimeDbContext>("realtimedb");
        builder.AddRedisClient("redis");
        builder.Services.AddMigration<RealtimeDbContext>();
        builder.Services.AddValidation();
    }
}

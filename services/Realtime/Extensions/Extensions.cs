using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<RealtimeDbContext>("realtimedb");
        builder.Services.AddMigration<RealtimeDbContext>();
        builder.AddEventBus<RealtimeDbContext>("redis");
        builder.Services.AddValidation();

        builder.Services.AddHttpClient<SessionsClient>(client => client.BaseAddress = new Uri("https+http://sessions"));
    }
}

using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;
using PracticePlatform.Sessions.Infrastructure;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<SessionsDbContext>("sessionsdb");
        builder.Services.AddMigration<SessionsDbContext>();
        builder.AddEventBus<SessionsDbContext>("redis");
        builder.Services.AddValidation();

        builder.Services.AddSingleton<SessionMetrics>();
        builder.Services.AddHttpClient<ContentClient>(client => client.BaseAddress = new Uri("https+http://content"));
    }
}

using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.EventHandling;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AiDbContext>("aidb");
        builder.Services.AddMigration<AiDbContext>();
        builder.AddEventBus<AiDbContext>("redis")
            .AddSubscription<PracticeSessionCompleted, PracticeSessionCompletedHandler>();
        builder.Services.AddValidation();
    }
}

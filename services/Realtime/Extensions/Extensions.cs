using PracticePlatform.EventBus.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticePlatform.EventBus;
using PracticePlatform.Realtime.Conversations;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.IntegrationEvents.EventHandling;
using PracticePlatform.Realtime.IntegrationEvents.Events;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<RealtimeDbContext>("realtimedb");
        builder.Services.AddMigration<RealtimeDbContext>();
        builder.AddEventBus<RealtimeDbContext>("redis")
            .AddSubscription<PracticeSessionCompleted, SessionEndedHandlers>()
            .AddSubscription<PracticeSessionAbandoned, SessionEndedHandlers>();
        builder.Services.AddValidation();

        builder.Services.AddHttpClient<SessionsClient>(client => client.BaseAddress = new Uri("https+http://sessions"));
        builder.Services.AddHttpClient<PatientClient>(client => client.BaseAddress = new Uri("https+http://ai"));

        // The live conversation.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ConversationOptions>().BindConfiguration(ConversationOptions.SectionName);
        builder.Services.AddSingleton<ConversationStore>();
        builder.Services.AddSingleton<ConversationHub>();
        builder.Services.AddSingleton<PatientReplies>();
        builder.Services.AddTransient<ConversationConnection>();
    }
}

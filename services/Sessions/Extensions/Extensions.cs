using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.IntegrationEvents.EventHandling;
using PracticePlatform.Sessions.IntegrationEvents.Events;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<SessionsDbContext>("sessionsdb");
        builder.Services.AddMigration<SessionsDbContext>();
        builder.AddEventBus<SessionsDbContext>("redis")
            .AddSubscription<ConversationActivity, ConversationActivityHandler>()
            .AddSubscription<FeedbackReportGenerated, FeedbackReportGeneratedHandler>();
        builder.Services.AddValidation();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddSingleton<SessionMetrics>();
        builder.Services.AddHttpClient<ContentClient>(client => client.BaseAddress = new Uri("https+http://content"));

        // Until billing keeps plans and entitlements, everyone may start a session.
        builder.Services.AddHttpClient<ISessionEntitlementPolicy, BillingEntitlementPolicy>(client => client.BaseAddress = new Uri("https+http://billing"));

        builder.Services.AddOptions<SessionLifecycleOptions>().BindConfiguration(SessionLifecycleOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SessionLifecycleOptions>, SessionLifecycleOptionsValidator>();
        builder.Services.AddSingleton<SessionAbandonment>();
        builder.Services.AddHostedService<SessionAbandonmentJob>();
    }
}

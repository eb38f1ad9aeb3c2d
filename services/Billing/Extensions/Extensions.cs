using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.IntegrationEvents.EventHandling;
using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<BillingDbContext>("billingdb");
        builder.Services.AddSingleton<CommitCallbacks>();
        builder.Services.ConfigureDbContext<BillingDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<CommitCallbacks>()));
        builder.Services.AddMigration<BillingDbContext>(BillingDbSeed.SeedAsync);
        builder.AddEventBus<BillingDbContext>("redis")
            .AddSubscription<UserRegistered, UserRegisteredHandler>()
            .AddSubscription<PracticeSessionStarted, PracticeSessionStartedHandler>()
            .AddSubscription<PracticeSessionCompleted, PracticeSessionCompletedHandler>()
            .AddSubscription<AiUsageRecorded, AiUsageRecordedHandler>();
        builder.Services.AddValidation();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();

        builder.Services.AddSingleton<EntitlementCache>();
        builder.Services.AddSingleton<PaymentProviders>();
        builder.Services.AddScoped<Entitlements>();
        builder.Services.AddScoped<EntitlementNotices>();
        builder.Services.AddScoped<Invoicing>();
        builder.Services.AddScoped<PaymentOutcomes>();
        builder.Services.AddScoped<ProviderWebhooks>();
        builder.Services.AddScoped<UsageRecording>();
        builder.Services.AddSingleton<PeriodClose>();
        builder.Services.AddHostedService<PeriodCloseJob>();
    }
}

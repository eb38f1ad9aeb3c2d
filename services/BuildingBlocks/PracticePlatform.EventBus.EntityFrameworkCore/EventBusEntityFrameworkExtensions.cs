using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

public static class EventBusEntityFrameworkExtensions
{
    /// <summary>
    /// The one call a service makes: the event bus over Redis (<see cref="EventBusExtensions.AddEventBus"/>), plus a
    /// transactional outbox (<see cref="IEventOutbox"/>) and an inbox kept in <typeparamref name="TContext"/>'s
    /// database, whose model must include <see cref="EventBusModelBuilderExtensions.AddEventBusTables"/>.
    /// Outbox settings come from the "EventBus:Outbox" section.
    /// </summary>
    public static IEventBusBuilder AddEventBus<TContext>(this IHostApplicationBuilder builder, string redisConnectionName = "redis")
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var eventBus = builder.AddEventBus(redisConnectionName);
        var services = builder.Services;

        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxInterceptor>();
        services.ConfigureDbContext<TContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<OutboxInterceptor>()));

        services.TryAddScoped<IEventOutbox, EventOutbox<TContext>>();
        services.TryAddScoped<IIntegrationEventInbox, EntityFrameworkInbox<TContext>>();
        services.AddHostedService<OutboxRelay<TContext>>();
        return eventBus;
    }
}

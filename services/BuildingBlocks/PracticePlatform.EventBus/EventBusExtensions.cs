using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PracticePlatform.EventBus.RedisStreams;
using PracticePlatform.Redis;

namespace PracticePlatform.EventBus;

public interface IEventBusBuilder
{
    IServiceCollection Services { get; }
}

public static class EventBusExtensions
{
    /// <summary>
    /// Registers <see cref="IEventBus"/> over Redis Streams (<c>ConnectionStrings:&lt;redisConnectionName&gt;</c>),
    /// <see cref="IDeadLetterStore"/>, and the consumer that delivers the events subscribed with
    /// <see cref="AddSubscription{TEvent, THandler}"/>. Options come from the "EventBus" section, validated at start.
    /// </summary>
    public static IEventBusBuilder AddEventBus(this IHostApplicationBuilder builder, string redisConnectionName = "redis")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRedisClient(redisConnectionName);

        var services = builder.Services;
        services.AddOptions<EventBusOptions>()
            .BindConfiguration(EventBusOptions.SectionName)
            .PostConfigure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
            {
                if (string.IsNullOrWhiteSpace(options.ServiceName))
                {
                    options.ServiceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name
                        ? name
                        : environment.ApplicationName.ToLowerInvariant();
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventBusOptions>, EventBusOptionsValidator>());

        services.AddMetrics();
        services.TryAddSingleton<EventBusTelemetry>();
        services.TryAddSingleton(new EventSubscriptions());
        services.TryAddSingleton<EventStreams>();
        services.TryAddSingleton<IEventTransport, RedisStreamsTransport>();
        services.TryAddSingleton<IEventBus, EventBus>();
        services.TryAddSingleton<IDeadLetterStore, RedisDeadLetterStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisStreamsConsumer>());

        return new EventBusBuilder(services);
    }

    /// <summary>Delivers every <typeparamref name="TEvent"/> to a scoped <typeparamref name="THandler"/>.</summary>
    public static IEventBusBuilder AddSubscription<TEvent, THandler>(this IEventBusBuilder eventBus)
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        ArgumentNullException.ThrowIfNull(eventBus);
        eventBus.Services.TryAddScoped<THandler>();
        Subscriptions(eventBus.Services).Add<TEvent, THandler>();
        return eventBus;
    }

    // The registry is filled while services are registered, so it is one instance, not an options callback.
    private static EventSubscriptions Subscriptions(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(EventSubscriptions))?.ImplementationInstance as EventSubscriptions
        ?? throw new InvalidOperationException("Call AddEventBus before AddSubscription.");

    private sealed class EventBusBuilder(IServiceCollection services) : IEventBusBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}

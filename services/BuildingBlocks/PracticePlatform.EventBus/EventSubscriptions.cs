namespace PracticePlatform.EventBus;

/// <summary>The events this service subscribes to: event type name → event <see cref="Type"/> and its handlers.</summary>
public sealed class EventSubscriptions
{
    private readonly Dictionary<string, EventSubscription> _byName = new(StringComparer.Ordinal);

    public IReadOnlyCollection<EventSubscription> All => _byName.Values;

    public bool TryGet(string eventTypeName, out EventSubscription subscription) =>
        _byName.TryGetValue(eventTypeName, out subscription!);

    internal void Add<TEvent, THandler>()
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        var name = EventTypeName.Of(typeof(TEvent));
        if (!_byName.TryGetValue(name, out var subscription))
        {
            subscription = new EventSubscription(name, typeof(TEvent));
            _byName[name] = subscription;
        }
        else if (subscription.EventType != typeof(TEvent))
        {
            throw new InvalidOperationException(
                $"Two event types are named {name} ({subscription.EventType.FullName} and {typeof(TEvent).FullName}); event type names must be unique.");
        }

        subscription.Add(typeof(THandler), (services, @event, cancellationToken) =>
            ((IIntegrationEventHandler<TEvent>)services.GetService(typeof(THandler))!).HandleAsync((TEvent)@event, cancellationToken));
    }
}

public sealed class EventSubscription(string eventTypeName, Type eventType)
{
    private readonly List<Type> _handlerTypes = [];
    private readonly List<Func<IServiceProvider, IntegrationEvent, CancellationToken, Task>> _handlers = [];

    public string EventTypeName { get; } = eventTypeName;

    public Type EventType { get; } = eventType;

    public IReadOnlyList<Type> HandlerTypes => _handlerTypes;

    /// <summary>Runs every handler, in the order they were subscribed, with services from <paramref name="services"/>;
    /// through the service's <see cref="IIntegrationEventInbox"/> when it has one, so a handler that already
    /// processed the event (before a redelivery) is not run again.</summary>
    public async Task HandleAsync(IServiceProvider services, IntegrationEvent @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var inbox = (IIntegrationEventInbox?)services.GetService(typeof(IIntegrationEventInbox));
        for (var i = 0; i < _handlers.Count; i++)
        {
            var handler = _handlers[i];
            if (inbox is null)
            {
                await handler(services, @event, cancellationToken);
            }
            else
            {
                await inbox.HandleOnceAsync(@event, _handlerTypes[i], token => handler(services, @event, token), cancellationToken);
            }
        }
    }

    internal void Add(Type handlerType, Func<IServiceProvider, IntegrationEvent, CancellationToken, Task> handler)
    {
        if (!_handlerTypes.Contains(handlerType))
        {
            _handlerTypes.Add(handlerType);
            _handlers.Add(handler);
        }
    }
}

internal static class EventTypeName
{
    public static string Of(Type eventType) => eventType.Name;
}

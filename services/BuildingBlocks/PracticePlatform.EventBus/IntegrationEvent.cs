using System.Diagnostics.CodeAnalysis;

namespace PracticePlatform.EventBus;

/// <summary>Something that happened in one service that others may react to. Derive a record per event; its class
/// name is the event type (and names its stream), so keep it stable once published.</summary>
public record IntegrationEvent
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;
}

// eShop's names: "EventHandler" here is not a .NET event's delegate, and @event reads as what it is.
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "eShop's integration-event handler name")]
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "@event, as in eShop")]
public interface IIntegrationEventHandler<in TEvent> where TEvent : IntegrationEvent
{
    Task HandleAsync(TEvent @event, CancellationToken cancellationToken);
}

[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "@event, as in eShop")]
public interface IEventBus
{
    Task PublishAsync(IntegrationEvent @event, CancellationToken cancellationToken = default);
}

/// <summary>
/// Remembers which handler has processed which event, so that a redelivered event (a consumer that died before
/// acknowledging, an outbox relayed twice, a replayed dead letter) has no second effect. An implementation records
/// the handling atomically with the handler's own changes.
/// </summary>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "@event, as in eShop")]
public interface IIntegrationEventInbox
{
    /// <summary>Runs <paramref name="handle"/> unless <paramref name="handlerType"/> has already processed
    /// <paramref name="event"/>.</summary>
    Task HandleOnceAsync(IntegrationEvent @event, Type handlerType, Func<CancellationToken, Task> handle, CancellationToken cancellationToken);
}

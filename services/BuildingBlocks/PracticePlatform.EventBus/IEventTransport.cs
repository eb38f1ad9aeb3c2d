namespace PracticePlatform.EventBus;

/// <summary>An event as it travels: its identity, type name, JSON payload and the W3C trace context of the
/// publisher.</summary>
public sealed record EventEnvelope(
    Guid EventId,
    string EventType,
    DateTimeOffset OccurredAt,
    string Payload,
    string? TraceParent,
    string? TraceState);

/// <summary>Moves envelopes to the broker. Redis Streams today; a Kafka transport implements the same contract.</summary>
public interface IEventTransport
{
    Task PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default);
}

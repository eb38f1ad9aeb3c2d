namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>An event saved with the state change that caused it, waiting to be sent to the broker; the relay deletes
/// the row once it is sent.</summary>
public sealed class OutboxMessage
{
    /// <summary>Insertion order, so the relay sends events in the order they were committed.</summary>
    public long Sequence { get; init; }

    public Guid EventId { get; init; }

    public required string EventType { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public required string Payload { get; init; }

    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Failed attempts to send it (the broker was unreachable).</summary>
    public int Attempts { get; set; }

    public string? LastError { get; set; }

    internal static OutboxMessage From(EventEnvelope envelope) => new()
    {
        EventId = envelope.EventId,
        EventType = envelope.EventType,
        OccurredAt = envelope.OccurredAt,
        Payload = envelope.Payload,
        TraceParent = envelope.TraceParent,
        TraceState = envelope.TraceState,
    };

    internal EventEnvelope ToEnvelope() => new(EventId, EventType, OccurredAt, Payload, TraceParent, TraceState);
}

/// <summary>A handler's record of having processed an event, written in the same transaction as its effect.</summary>
public sealed class InboxMessage
{
    public Guid EventId { get; init; }

    public required string Handler { get; init; }

    public required string EventType { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}

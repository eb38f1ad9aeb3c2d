namespace PracticePlatform.EventBus;

/// <summary>An event whose handlers kept failing: what was sent, which consumer group gave up, why and when.</summary>
public sealed record DeadLetter(
    string Id,
    string OriginalId,
    Guid EventId,
    string EventType,
    string Payload,
    string Group,
    string Error,
    int Attempts,
    DateTimeOffset DeadAt);

/// <summary>Lets an operator inspect dead letters and send one back to its subscribers once the cause is fixed.</summary>
public interface IDeadLetterStore
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(string eventType, int count, CancellationToken cancellationToken = default);

    Task<DeadLetter?> FindAsync(string eventType, string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>Publishes the dead letter's event again (same event id) and removes it; false when there is no such
    /// dead letter.</summary>
    Task<bool> ReplayAsync(string eventType, string deadLetterId, CancellationToken cancellationToken = default);
}

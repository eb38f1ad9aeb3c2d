namespace PracticePlatform.Realtime.Model;

/// <summary>
/// The live conversation of one practice session: who may talk in it, which scenario version the patient plays,
/// the next sequence number to hand out, and whether the session has ended (then nothing more is stored).
/// </summary>
public sealed class Conversation
{
    public required Guid PracticeSessionId { get; init; }

    public required Guid LearnerId { get; init; }

    public Guid? InstitutionId { get; init; }

    public required Guid ScenarioId { get; init; }

    public required int ScenarioVersion { get; init; }

    /// <summary>The last sequence number handed out (0: none yet). Each utterance takes the next two: its own and the
    /// one its reply will be stored under, so deltas can name the reply before it is stored.</summary>
    public long LastSeq { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Set when sessions reports the session completed or abandoned.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
}

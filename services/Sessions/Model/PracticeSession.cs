using PracticePlatform.ServiceDefaults.Authentication;

using System.ComponentModel.DataAnnotations;

namespace PracticePlatform.Sessions.Model;

public enum SessionMode
{
    Text,
    Voice,
    Video,
}

public enum SessionStatus
{
    Active,
    Completed,
    Abandoned,
}

/// <summary>One learner's attempt at a scenario, pinned to the scenario version it started with.</summary>
public sealed class PracticeSession : ILearnerOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The learner who started the session: the only one who may end it.</summary>
    public Guid LearnerId { get; init; }

    /// <summary>The institution the learner practised in, so its educators can review the session; null for a user
    /// outside any institution.</summary>
    public Guid? InstitutionId { get; init; }

    /// <summary>The cohort the learner was in when the session started, so the educators who teach it can review the
    /// session; a later move to another cohort does not carry past sessions along. Null outside any cohort.</summary>
    public Guid? CohortId { get; init; }

    public Guid ScenarioId { get; init; }

    /// <summary>The content version in force when the session started: later edits to the scenario do not change it.</summary>
    public int ScenarioVersion { get; init; }

    public SessionMode Mode { get; init; }

    public SessionStatus Status { get; set; } = SessionStatus.Active;

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>When something last happened in the session: its start, the learner talking (realtime reports it at
    /// most once a minute) or its end. It never moves backwards; an active session idle for longer than
    /// <c>Sessions:AbandonAfter</c> is abandoned.</summary>
    public DateTimeOffset LastActivityAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): a concurrent change makes SaveChanges fail instead of overwriting.</summary>
    public uint Version { get; set; }
}

/// <summary>What a learner sends to start practising. Both members must be present in the JSON.</summary>
public sealed record StartSessionRequest : IValidatableObject
{
    public required Guid ScenarioId { get; init; }

    public required SessionMode Mode { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ScenarioId == Guid.Empty)
        {
            yield return new ValidationResult("A scenarioId is required.", ["scenarioId"]);
        }
    }
}

/// <summary>The answer to starting a session: where the conversation itself happens.</summary>
public sealed record StartedSession(
    Guid Id,
    Guid ScenarioId,
    int ScenarioVersion,
    SessionMode Mode,
    SessionStatus Status,
    Uri RealtimeUrl);

public sealed record PracticeSessionDetails(
    Guid Id,
    Guid LearnerId,
    Guid? InstitutionId,
    Guid? CohortId,
    Guid ScenarioId,
    int ScenarioVersion,
    SessionMode Mode,
    SessionStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset LastActivityAt)
{
    public static PracticeSessionDetails From(PracticeSession session) => new(
        session.Id,
        session.LearnerId,
        session.InstitutionId,
        session.CohortId,
        session.ScenarioId,
        session.ScenarioVersion,
        session.Mode,
        session.Status,
        session.StartedAt,
        session.EndedAt,
        session.LastActivityAt);
}

/// <summary>A page of the sessions the caller may read, newest first.</summary>
public sealed record PracticeSessionPage(IReadOnlyList<PracticeSessionDetails> Items, int Total, int Page, int PageSize);

/// <summary>PostgreSQL keeps microseconds: a time cut to them is answered and published exactly as it is read back.</summary>
public static class DatabaseTime
{
    public static DateTimeOffset Truncate(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));
}

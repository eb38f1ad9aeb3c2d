namespace PracticePlatform.Billing.Model;

/// <summary>What lets a learner practise: a seat of their institution, their own subscription, or the free tier.</summary>
public enum EntitlementSource
{
    None,
    Free,
    Seat,
    Individual,
}

public enum UsageKind
{
    Session,
    Llm,
}

/// <summary>The free tier, granted when the user registered (or lazily, when they ask before that event arrived).</summary>
public sealed class FreeTierGrant
{
    public Guid UserId { get; init; }

    public Guid? InstitutionId { get; init; }

    public DateTimeOffset GrantedAt { get; init; }
}

/// <summary>A practice session started, counted once against what covered it at the time.</summary>
public sealed class SessionStart
{
    public Guid SessionId { get; init; }

    public Guid LearnerId { get; init; }

    public Guid? InstitutionId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public EntitlementSource CoveredBy { get; init; }

    public Guid? SubscriptionId { get; init; }
}

/// <summary>Usage from one source event (a completed session, an LLM call): unique by <see cref="SourceKey"/>, so an
/// event redelivered or re-sent under a new id never counts twice.</summary>
public sealed class UsageRecord
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>"session:{SessionId}" or "llm:{UsageId}".</summary>
    public required string SourceKey { get; init; }

    public UsageKind Kind { get; init; }

    /// <summary>The subscription the usage is billed to; null on the free tier (then per learner).</summary>
    public Guid? SubscriptionId { get; init; }

    public Guid LearnerId { get; init; }

    public Guid? InstitutionId { get; init; }

    public DateTimeOffset PeriodStart { get; init; }

    public DateTimeOffset PeriodEnd { get; init; }

    public int Sessions { get; init; }

    public decimal Minutes { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>The LLM cost the ai service reported, in the currency's major unit.</summary>
    public decimal Cost { get; init; }

    public string? Model { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>Usage summed over one period.</summary>
public sealed record UsagePeriod(
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    Guid? SubscriptionId,
    int Sessions,
    decimal Minutes,
    long InputTokens,
    long OutputTokens,
    decimal Cost);

/// <summary>The one answer to "may this learner start a session now?".</summary>
public sealed record EntitlementAnswer(
    bool CanStartSession,
    string Reason,
    string? Remedy,
    string Plan,
    int? SessionsRemaining,
    DateTimeOffset? PeriodEnds,
    EntitlementSource Source,
    Guid? SubscriptionId,
    DateTimeOffset ValidUntil);

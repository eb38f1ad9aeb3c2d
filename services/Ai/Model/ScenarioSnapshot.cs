namespace PracticePlatform.Ai.Model;

/// <summary>
/// ai's own copy of one published scenario version, taken from the ScenarioPublished event: the whole document,
/// hidden facts included, which the simulated patient plays and the feedback engine scores against. Versions are
/// immutable, so the copy never goes stale.
/// </summary>
public sealed class ScenarioSnapshot
{
    public required Guid ScenarioId { get; init; }

    public required int Version { get; init; }

    /// <summary>The owning institution; null for a platform-wide scenario.</summary>
    public Guid? InstitutionId { get; init; }

    public required string Title { get; init; }

    /// <summary>The scenario document (practiceplatform.scenario/v1) as JSON.</summary>
    public required string Document { get; init; }

    public DateTimeOffset PublishedAt { get; init; }

    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>One simulated-patient reply, metered: who asked, which engine and model answered, how fast and how many
/// tokens it used.</summary>
public sealed class PatientReplyUsage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PracticeSessionId { get; init; }

    public Guid LearnerId { get; init; }

    public Guid? InstitutionId { get; init; }

    public Guid ScenarioId { get; init; }

    public int ScenarioVersion { get; init; }

    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required string Intent { get; init; }

    public double LatencyMs { get; init; }

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

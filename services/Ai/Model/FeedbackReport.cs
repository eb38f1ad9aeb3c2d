using System.Text.Json.Serialization;
using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Ai.Model;

public enum FeedbackStatus
{
    Pending,
    Completed,
    Failed,
}

/// <summary>The assessment of one practice session, with what produced it so a report can be reproduced or compared.</summary>
public sealed class FeedbackReport : ILearnerOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>A session gets at most one report.</summary>
    public Guid PracticeSessionId { get; init; }

    /// <summary>The learner whose session this assesses, as the session's completion event said.</summary>
    public Guid LearnerId { get; init; }

    /// <summary>The learner's institution, so its admins can review the report; null outside any institution.</summary>
    public Guid? InstitutionId { get; init; }

    /// <summary>The learner's cohort when the session started, so the educators who teach it can review the report.</summary>
    public Guid? CohortId { get; init; }

    public Guid ScenarioId { get; init; }

    public int ScenarioVersion { get; init; }

    public DateTimeOffset SessionEndedAt { get; init; }

    public FeedbackStatus Status { get; set; } = FeedbackStatus.Pending;

    /// <summary>The overall rating, 1 (poor) to 5 (excellent); set once the report is completed.</summary>
    public int? GlobalRating { get; set; }

    /// <summary>Every rubric item as the engine assessed it, with any educator override beside the original.</summary>
    public List<ReportItem> Items { get; set; } = [];

    public List<string> Strengths { get; set; } = [];

    public List<string> Goals { get; set; } = [];

    /// <summary>How this attempt compares with the learner's earlier reports on the same scenario.</summary>
    public AttemptComparison? Comparison { get; set; }

    /// <summary>1 when produced; each educator override adds one, and FeedbackReportGenerated carries it so consumers
    /// keep only the newest.</summary>
    public int Revision { get; set; }

    /// <summary>Why no report could be made, when <see cref="Status"/> is failed.</summary>
    public string? FailureReason { get; set; }

    // What produced the report, stamped when it is produced (null while pending).
    public string? EngineName { get; set; }

    public string? EngineVersion { get; set; }

    public string? Model { get; set; }

    public string? PromptVersion { get; set; }

    public string? RubricVersion { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): two overrides at once cannot overwrite each other.</summary>
    public uint RowVersion { get; set; }
}

/// <summary>One rubric item of a report. <see cref="Present"/> and <see cref="Score"/> are the engine's call;
/// <see cref="Override"/> is an educator's correction, shown beside it.</summary>
public sealed record ReportItem(
    string Code,
    string Title,
    string Kind,
    string Competency,
    bool Present,
    double Score,
    IReadOnlyList<ReportEvidence> Evidence,
    ReportMissedOpportunity? MissedOpportunity,
    string? Suggestion,
    ItemOverride? Override = null)
{
    /// <summary>What counts: the override when there is one.</summary>
    [JsonIgnore]
    public bool EffectivePresent => Override?.Present ?? Present;

    [JsonIgnore]
    public double EffectiveScore => Override?.Score ?? Score;
}

public sealed record ReportEvidence(int Turn, string Quote);

public sealed record ReportMissedOpportunity(int Turn, string Cue, string Note);

/// <summary>An educator's correction of one item, with their reason.</summary>
public sealed record ItemOverride(bool Present, double Score, string Reason, Guid By, string? ByName, DateTimeOffset At);

/// <summary>The change since the learner's previous attempts at the same scenario.</summary>
public sealed record AttemptComparison(
    int PreviousAttempts,
    int? PreviousGlobalRating,
    int? GlobalRatingChange,
    IReadOnlyList<string> NowPresent,
    IReadOnlyList<string> NoLongerPresent);

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

    /// <summary>The learner's institution, so its educators can review the report; null outside any institution.</summary>
    public Guid? InstitutionId { get; init; }

    /// <summary>The learner's cohort when the session started, so the educators who teach it can review the report.</summary>
    public Guid? CohortId { get; init; }

    public FeedbackStatus Status { get; set; } = FeedbackStatus.Pending;

    /// <summary>The overall rating, 1 (poor) to 5 (excellent); set once the report is completed.</summary>
    public int? GlobalRating { get; set; }

    // What produced the report, stamped when it is produced (null while pending).
    public string? EngineName { get; set; }

    public string? EngineVersion { get; set; }

    public string? Model { get; set; }

    public string? PromptVersion { get; set; }

    public string? RubricVersion { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>What answers a request for feedback that is still being prepared.</summary>
public sealed record PendingFeedback(Guid SessionId, FeedbackStatus Status);

/// <summary>One rubric item's assessment.</summary>
public sealed record FeedbackItem(string RubricItem, int Rating, string Evidence);

public sealed record FeedbackEngine(string Name, string Version, string Model, string PromptVersion, string RubricVersion);

public sealed record FeedbackReportDetails(
    Guid SessionId,
    FeedbackStatus Status,
    int? GlobalRating,
    IReadOnlyList<FeedbackItem> Items,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<string> Goals,
    FeedbackEngine? Engine)
{
    public static FeedbackReportDetails From(FeedbackReport report) => new(
        report.PracticeSessionId,
        report.Status,
        report.GlobalRating,
        [],
        [],
        [],
        report.EngineName is null
            ? null
            : new FeedbackEngine(report.EngineName, report.EngineVersion ?? string.Empty, report.Model ?? string.Empty, report.PromptVersion ?? string.Empty, report.RubricVersion ?? string.Empty));
}

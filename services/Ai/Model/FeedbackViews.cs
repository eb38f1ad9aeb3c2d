namespace PracticePlatform.Ai.Model;

/// <summary>What answers a request for feedback that is still being prepared.</summary>
public sealed record PendingFeedback(Guid SessionId, FeedbackStatus Status);

public sealed record FeedbackEngine(string Name, string Version, string Model, string PromptVersion, string RubricVersion);

/// <summary>A feedback report as the learner and their educators read it.</summary>
public sealed record FeedbackReportDetails(
    Guid SessionId,
    FeedbackStatus Status,
    Guid ScenarioId,
    int ScenarioVersion,
    int? GlobalRating,
    IReadOnlyList<ReportItem> Items,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<string> Goals,
    AttemptComparison? Comparison,
    int Revision,
    string? FailureReason,
    FeedbackEngine? Engine,
    DateTimeOffset? CompletedAt)
{
    public static FeedbackReportDetails From(FeedbackReport report) => new(
        report.PracticeSessionId,
        report.Status,
        report.ScenarioId,
        report.ScenarioVersion,
        report.GlobalRating,
        report.Items,
        report.Strengths,
        report.Goals,
        report.Comparison,
        report.Revision,
        report.FailureReason,
        report.EngineName is null
            ? null
            : new FeedbackEngine(report.EngineName, report.EngineVersion ?? string.Empty, report.Model ?? string.Empty, report.PromptVersion ?? string.Empty, report.RubricVersion ?? string.Empty),
        report.CompletedAt);
}

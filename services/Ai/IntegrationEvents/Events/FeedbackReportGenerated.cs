using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.Events;

/// <summary>
/// A feedback report was produced (revision 1) or corrected by an educator (each override a higher revision), with
/// every item as it now counts: sessions keeps the learner's progress from it, keeping only the newest revision.
/// </summary>
public sealed record FeedbackReportGenerated(
    Guid ReportId,
    Guid SessionId,
    Guid ScenarioId,
    int ScenarioVersion,
    Guid LearnerId,
    Guid? InstitutionId,
    Guid? CohortId,
    int Revision,
    int GlobalRating,
    IReadOnlyList<FeedbackItemOutcome> Items,
    DateTimeOffset GeneratedAt) : IntegrationEvent;

/// <summary>One item as it counts: the engine's call, or the educator's override (<see cref="Overridden"/>).</summary>
public sealed record FeedbackItemOutcome(string Code, string Title, string Kind, string Competency, bool Present, double Score, bool Overridden);

/// <summary>An educator overrode a report item: users records it in the institution's audit log.</summary>
public sealed record FeedbackItemOverridden(
    Guid ReportId,
    Guid SessionId,
    Guid LearnerId,
    Guid? InstitutionId,
    string ItemCode,
    bool PreviousPresent,
    bool Present,
    double Score,
    string Reason,
    Guid EducatorId,
    DateTimeOffset At) : IntegrationEvent;

/// <summary>What a session used of the language models, for billing: the simulated patient's replies
/// (<see cref="PatientReplies"/>) or its feedback report (<see cref="FeedbackReport"/>). Billing counts each
/// <see cref="UsageId"/> once.</summary>
public sealed record AiUsageRecorded(
    Guid UsageId,
    string Purpose,
    Guid SessionId,
    Guid LearnerId,
    Guid? InstitutionId,
    string Provider,
    string Model,
    int InputTokens,
    int OutputTokens,
    decimal Cost,
    DateTimeOffset At) : IntegrationEvent
{
    public const string PatientReplies = "patient_replies";
    public const string FeedbackReport = "feedback_report";
}

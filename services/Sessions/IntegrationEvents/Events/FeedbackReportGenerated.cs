using PracticePlatform.EventBus;

namespace PracticePlatform.Sessions.IntegrationEvents.Events;

/// <summary>ai produced a feedback report for a practice session (<see cref="Revision"/> 1), or an educator overrode
/// one of its items (the revision goes up by one and <see cref="Items"/> is the whole corrected list). Sessions' copy
/// of ai's contract (the class name is the contract): sessions keeps the learner's progress from it.</summary>
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

/// <summary>One rubric item of a report. <see cref="Kind"/> is "essential" (the sixteen consultation items) or
/// "content" (the scenario's own items); <see cref="Competency"/> is initiating, gathering, relationship, explanation,
/// closing or clinical_content.</summary>
public sealed record FeedbackItemOutcome(
    string Code,
    string Title,
    string Kind,
    string Competency,
    bool Present,
    double Score,
    bool Overridden);

using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.Events;

/// <summary>sessions: a learner started practising. Counts once (per session) against the allowance of the period.</summary>
public sealed record PracticeSessionStarted(
    Guid SessionId,
    Guid ScenarioId,
    int ScenarioVersion,
    string Mode,
    DateTimeOffset StartedAt,
    Guid LearnerId,
    Guid? InstitutionId,
    Guid? CohortId) : IntegrationEvent;

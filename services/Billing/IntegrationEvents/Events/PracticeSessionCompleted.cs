using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.Events;

/// <summary>sessions: a learner ended a session. Becomes usage: one session and its minutes (once per session).</summary>
public sealed record PracticeSessionCompleted(
    Guid SessionId,
    Guid ScenarioId,
    int ScenarioVersion,
    string Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    Guid LearnerId,
    Guid? InstitutionId,
    Guid? CohortId) : IntegrationEvent;

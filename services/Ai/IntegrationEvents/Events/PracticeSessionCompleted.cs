using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.Events;

/// <summary>Published by sessions when a learner ends a practice session (this service's copy of the contract).</summary>
public sealed record PracticeSessionCompleted(
    Guid SessionId,
    Guid ScenarioId,
    int ScenarioVersion,
    string Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    Guid LearnerId,
    Guid? InstitutionId,
    Guid? CohortId = null) : IntegrationEvent;

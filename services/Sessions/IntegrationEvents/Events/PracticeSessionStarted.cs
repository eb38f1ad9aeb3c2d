using PracticePlatform.EventBus;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.IntegrationEvents.Events;

/// <summary>A learner started a practice session: billing counts it against their allowance for the period.</summary>
public sealed record PracticeSessionStarted(
    Guid SessionId,
    Guid ScenarioId,
    int ScenarioVersion,
    SessionMode Mode,
    DateTimeOffset StartedAt,
    Guid LearnerId,
    Guid? InstitutionId,
    Guid? CohortId) : IntegrationEvent;

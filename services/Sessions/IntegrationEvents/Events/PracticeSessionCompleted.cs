using PracticePlatform.EventBus;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.IntegrationEvents.Events;

/// <summary>A learner ended a practice session: ai scores its transcript, billing records the usage. The learner and
/// institution (and cohort) say whose it is, so consumers can scope what they derive from it the same way.</summary>
public sealed record PracticeSessionCompleted(
    Guid SessionId,
    Guid ScenarioId,
    int ScenarioVersion,
    SessionMode Mode,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    Guid LearnerId,
    Guid? InstitutionId,
    Guid? CohortId) : IntegrationEvent;

using PracticePlatform.EventBus;

namespace PracticePlatform.Sessions.IntegrationEvents.Events;

/// <summary>An active session had no activity for <c>Sessions:AbandonAfter</c> and was closed without the learner
/// ending it: nothing is scored, billing may still count the usage. The learner and institution say whose it is.</summary>
public sealed record PracticeSessionAbandoned(
    Guid SessionId,
    Guid ScenarioId,
    int ScenarioVersion,
    Guid LearnerId,
    Guid? InstitutionId,
    DateTimeOffset StartedAt,
    DateTimeOffset AbandonedAt) : IntegrationEvent;

using PracticePlatform.EventBus;

namespace PracticePlatform.Realtime.IntegrationEvents.Events;

/// <summary>Published by sessions when a learner ends a session (this service's copy of the contract: the members it
/// reads).</summary>
public sealed record PracticeSessionCompleted(Guid SessionId, DateTimeOffset EndedAt) : IntegrationEvent;

/// <summary>Published by sessions when it abandons an idle session (the members this service reads).</summary>
public sealed record PracticeSessionAbandoned(Guid SessionId, DateTimeOffset AbandonedAt) : IntegrationEvent;

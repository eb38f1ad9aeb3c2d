using PracticePlatform.EventBus;

namespace PracticePlatform.Realtime.IntegrationEvents.Events;

/// <summary>The learner is talking in a session: sessions keeps it from being abandoned as idle. Published at most
/// once per <c>Conversation:ActivityReportInterval</c> per session; <see cref="Utterances"/> counts the learner's
/// utterances stored so far.</summary>
public sealed record ConversationActivity(Guid SessionId, DateTimeOffset At, int Utterances) : IntegrationEvent;

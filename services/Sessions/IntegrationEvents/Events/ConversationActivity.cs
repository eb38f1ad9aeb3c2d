using PracticePlatform.EventBus;

namespace PracticePlatform.Sessions.IntegrationEvents.Events;

/// <summary>Realtime's report that the learner is talking in a session: published at most once a minute per session
/// while the conversation goes on, with the utterances since the previous report. Sessions' copy of realtime's
/// contract (the class name is the contract).</summary>
public sealed record ConversationActivity(Guid SessionId, DateTimeOffset At, int Utterances) : IntegrationEvent;

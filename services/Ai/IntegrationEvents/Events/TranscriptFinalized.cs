using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.Events;

/// <summary>Published by realtime when a completed session's conversation is closed: its whole transcript (this
/// service's copy of the contract).</summary>
public sealed record TranscriptFinalized(Guid SessionId, DateTimeOffset EndedAt, IReadOnlyList<SessionTranscriptTurn> Turns) : IntegrationEvent;

using PracticePlatform.EventBus;
using PracticePlatform.Realtime.Model;

namespace PracticePlatform.Realtime.IntegrationEvents.Events;

/// <summary>A completed session's conversation is closed and this is its whole transcript, in the turn format of the
/// transcript API: ai scores it for the feedback report without having to call back for it.</summary>
public sealed record TranscriptFinalized(Guid SessionId, DateTimeOffset EndedAt, IReadOnlyList<TranscriptTurn> Turns) : IntegrationEvent;

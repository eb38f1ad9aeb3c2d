using Microsoft.EntityFrameworkCore;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Realtime.Apis;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.IntegrationEvents.Events;

namespace PracticePlatform.Realtime.IntegrationEvents.EventHandling;

/// <summary>Closes the conversation of a session that ended, so no later utterance is stored in it. A replica with
/// a connection open learns it at the connection's next utterance (the close is in the database). A completed
/// session's transcript is then final and goes to ai for its feedback report (TranscriptFinalized, through the outbox
/// in the same transaction as the close, so it is published exactly when the close commits).</summary>
public sealed class SessionEndedHandlers(RealtimeDbContext db, IEventOutbox outbox)
    : IIntegrationEventHandler<PracticeSessionCompleted>, IIntegrationEventHandler<PracticeSessionAbandoned>
{
    public async Task HandleAsync(PracticeSessionCompleted @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        await CloseAsync(@event.SessionId, @event.EndedAt, cancellationToken);
        var transcript = await TranscriptsApi.ReadTranscriptAsync(db, @event.SessionId, after: null, cancellationToken);
        outbox.Add(new TranscriptFinalized(@event.SessionId, @event.EndedAt, transcript.Turns));
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task HandleAsync(PracticeSessionAbandoned @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return CloseAsync(@event.SessionId, @event.AbandonedAt, cancellationToken);
    }

    private async Task CloseAsync(Guid sessionId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.Conversations
            .Where(c => c.PracticeSessionId == sessionId && c.ClosedAt == null)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.ClosedAt, at), cancellationToken);
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.EventBus;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.IntegrationEvents.Events;

namespace PracticePlatform.Realtime.IntegrationEvents.EventHandling;

/// <summary>Closes the conversation of a session that ended, so no later utterance is stored in it. A replica with
/// a connection open learns it at the connection's next utterance (the close is in the database).</summary>
public sealed class SessionEndedHandlers(RealtimeDbContext db)
    : IIntegrationEventHandler<PracticeSessionCompleted>, IIntegrationEventHandler<PracticeSessionAbandoned>
{
    public Task HandleAsync(PracticeSessionCompleted @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return CloseAsync(@event.SessionId, @event.EndedAt, cancellationToken);
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

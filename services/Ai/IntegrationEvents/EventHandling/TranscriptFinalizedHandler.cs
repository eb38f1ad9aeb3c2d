using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.Ai.Reports;
using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.EventHandling;

/// <summary>Keeps a completed session's final transcript, the input of its feedback report. The first copy wins: a
/// transcript is final, so a redelivery changes nothing.</summary>
public sealed class TranscriptFinalizedHandler(AiDbContext db, FeedbackWorkSignal signal, TimeProvider time)
    : IIntegrationEventHandler<TranscriptFinalized>
{
    public async Task HandleAsync(TranscriptFinalized @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (await db.SessionTranscripts.AnyAsync(t => t.PracticeSessionId == @event.SessionId, cancellationToken))
        {
            return;
        }

        db.SessionTranscripts.Add(new SessionTranscript
        {
            PracticeSessionId = @event.SessionId,
            EndedAt = @event.EndedAt,
            Turns = [.. @event.Turns.OrderBy(t => t.Index)],
            ReceivedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
    }
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.EventHandling;

/// <summary>Opens a pending feedback report for the completed session, so its learner sees "being prepared" at once.
/// The inbox runs this once per event; the check below also keeps one report per session whatever else happens.</summary>
public sealed partial class PracticeSessionCompletedHandler(AiDbContext db, ILogger<PracticeSessionCompletedHandler> logger)
    : IIntegrationEventHandler<PracticeSessionCompleted>
{
    public async Task HandleAsync(PracticeSessionCompleted @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (await db.FeedbackReports.AnyAsync(r => r.PracticeSessionId == @event.SessionId, cancellationToken))
        {
            return;
        }

        db.FeedbackReports.Add(new FeedbackReport
        {
            PracticeSessionId = @event.SessionId,
            LearnerId = @event.LearnerId,
            InstitutionId = @event.InstitutionId,
            CohortId = @event.CohortId,
        });
        await db.SaveChangesAsync(cancellationToken);
        LogReportOpened(logger, @event.SessionId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback report opened for practice session {SessionId}")]
    private static partial void LogReportOpened(ILogger logger, Guid sessionId);
}

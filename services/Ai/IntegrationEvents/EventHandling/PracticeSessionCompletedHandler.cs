using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.Ai.Reports;
using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.EventHandling;

/// <summary>Opens a pending feedback report for the completed session, so its learner sees "being prepared" at once,
/// and the agent execution that will make it (it runs once realtime's transcript is here). The inbox runs this once
/// per event; the check below also keeps one report per session when the same completion comes as another event.</summary>
public sealed partial class PracticeSessionCompletedHandler(
    AiDbContext db,
    FeedbackWorkSignal signal,
    TimeProvider time,
    ILogger<PracticeSessionCompletedHandler> logger) : IIntegrationEventHandler<PracticeSessionCompleted>
{
    public async Task HandleAsync(PracticeSessionCompleted @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (await db.FeedbackReports.AnyAsync(r => r.PracticeSessionId == @event.SessionId, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        db.FeedbackReports.Add(new FeedbackReport
        {
            PracticeSessionId = @event.SessionId,
            LearnerId = @event.LearnerId,
            InstitutionId = @event.InstitutionId,
            CohortId = @event.CohortId,
            ScenarioId = @event.ScenarioId,
            ScenarioVersion = @event.ScenarioVersion,
            SessionEndedAt = @event.EndedAt,
            CreatedAt = now,
        });
        db.AgentExecutions.Add(new AgentExecution
        {
            Agent = AgentExecution.FeedbackReportAgent,
            SubjectId = @event.SessionId,
            NotBefore = now,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        LogReportOpened(logger, @event.SessionId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback report opened for practice session {SessionId}")]
    private static partial void LogReportOpened(ILogger logger, Guid sessionId);
}

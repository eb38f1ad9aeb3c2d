using Microsoft.EntityFrameworkCore;
using PracticePlatform.EventBus;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.IntegrationEvents.Events;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.IntegrationEvents.EventHandling;

/// <summary>
/// Records that the learner is talking: moves the session's last activity forward (never backwards: a late or
/// reordered report leaves a newer time alone) and appends a conversation entry to its activity log, both in the
/// inbox's transaction. The inbox runs this once per event; a second report of the same moment (same session and
/// time, another event id) is also recorded once. A session that has already ended keeps its status: the report
/// is still logged.
/// </summary>
public sealed partial class ConversationActivityHandler(SessionsDbContext db, ILogger<ConversationActivityHandler> logger)
    : IIntegrationEventHandler<ConversationActivity>
{
    public async Task HandleAsync(ConversationActivity @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var at = DatabaseTime.Truncate(@event.At).ToUniversalTime();

        // One statement, so a concurrent report, end or abandonment cannot interleave between reading and writing.
        await db.PracticeSessions
            .Where(s => s.Id == @event.SessionId && s.LastActivityAt < at)
            .ExecuteUpdateAsync(s => s.SetProperty(session => session.LastActivityAt, at), cancellationToken);

        if (!await db.PracticeSessions.AnyAsync(s => s.Id == @event.SessionId, cancellationToken))
        {
            // Retrying would not make it exist: realtime only reports sessions it was told about.
            LogUnknownSession(logger, @event.SessionId);
            return;
        }

        if (await db.SessionActivities.AnyAsync(
                a => a.SessionId == @event.SessionId && a.Kind == SessionActivityKind.Conversation && a.At == at, cancellationToken))
        {
            return;
        }

        db.SessionActivities.Add(new SessionActivity
        {
            SessionId = @event.SessionId,
            At = at,
            Kind = SessionActivityKind.Conversation,
            Detail = @event.Utterances == 1 ? "1 utterance" : $"{@event.Utterances} utterances",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation activity for unknown practice session {SessionId} ignored")]
    private static partial void LogUnknownSession(ILogger logger, Guid sessionId);
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.Billing.Model;
using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.EventHandling;

/// <summary>Counts a started session once (keyed by its id, whatever the event id) against what covered it: the
/// free allowance counts only sessions the free tier paid for.</summary>
public sealed partial class PracticeSessionStartedHandler(
    BillingDbContext db,
    Entitlements entitlements,
    EntitlementCache cache,
    TimeProvider time,
    ILogger<PracticeSessionStartedHandler> logger) : IIntegrationEventHandler<PracticeSessionStarted>
{
    public async Task HandleAsync(PracticeSessionStarted @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (await db.SessionStarts.AnyAsync(s => s.SessionId == @event.SessionId, cancellationToken))
        {
            LogAlreadyCounted(logger, @event.SessionId);
            return;
        }

        var startedAt = @event.StartedAt.ToUniversalTime();
        await entitlements.EnsureFreeTierAsync(@event.LearnerId, @event.InstitutionId, time.GetUtcNow(), cancellationToken);
        var (source, subscriptionId) = await entitlements.CoverageAsync(@event.LearnerId, @event.InstitutionId, startedAt, cancellationToken);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO session_starts (session_id, learner_id, institution_id, started_at, covered_by, subscription_id)
            VALUES ({@event.SessionId}, {@event.LearnerId}, {@event.InstitutionId}, {startedAt}, {source.ToString()}, {subscriptionId})
            ON CONFLICT DO NOTHING
            """,
            cancellationToken);
        if (inserted > 0)
        {
            cache.InvalidateUserOnCommit(db, @event.LearnerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} was already counted; skipped")]
    private static partial void LogAlreadyCounted(ILogger logger, Guid sessionId);
}

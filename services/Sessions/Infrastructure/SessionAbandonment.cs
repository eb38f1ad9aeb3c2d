using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Sessions.IntegrationEvents.Events;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.Infrastructure;

/// <summary>
/// Abandons active sessions whose last activity is older than <see cref="SessionLifecycleOptions.AbandonAfter"/>, a
/// batch per transaction. Each batch is taken with <c>FOR UPDATE SKIP LOCKED</c>, so replicas (or two runs in one
/// process) abandon different sessions, and a session ended, abandoned or active again before the lock is no longer
/// selected (PostgreSQL re-checks the condition on the locked row). The status, the activity log entry and the
/// <see cref="PracticeSessionAbandoned"/> outbox row commit together: one event per abandoned session.
/// </summary>
public sealed partial class SessionAbandonment(
    IServiceScopeFactory scopeFactory,
    IOptions<SessionLifecycleOptions> options,
    SessionMetrics metrics,
    TimeProvider time,
    ILogger<SessionAbandonment> logger)
{
    /// <summary>Abandons every session idle for too long; returns how many this call abandoned.</summary>
    public async Task<int> AbandonIdleSessionsAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var total = 0;
        int abandoned;
        do
        {
            abandoned = await AbandonBatchAsync(settings, cancellationToken);
            total += abandoned;
        }
        while (abandoned == settings.AbandonBatchSize);

        if (total > 0)
        {
            metrics.Abandoned(total);
            LogAbandoned(logger, total, settings.AbandonAfter);
        }

        return total;
    }

    private async Task<int> AbandonBatchAsync(SessionLifecycleOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<IEventOutbox>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            // A retry after a transient database error starts again from a clean slate.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var now = DatabaseTime.Truncate(time.GetUtcNow());
            var idleSince = now - settings.AbandonAfter;
            var active = nameof(SessionStatus.Active);
            // xmin is a system column: SELECT * leaves it out, and the entity's row version needs it.
            var batch = await db.PracticeSessions
                .FromSql($"""
                    SELECT *, xmin FROM practice_sessions
                    WHERE status = {active} AND last_activity_at < {idleSince}
                    ORDER BY last_activity_at
                    LIMIT {settings.AbandonBatchSize}
                    FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(token);
            foreach (var session in batch)
            {
                var idleFrom = session.LastActivityAt;
                session.Status = SessionStatus.Abandoned;
                session.EndedAt = now;
                session.LastActivityAt = now > session.LastActivityAt ? now : session.LastActivityAt;
                db.SessionActivities.Add(new SessionActivity
                {
                    SessionId = session.Id,
                    At = now,
                    Kind = SessionActivityKind.Abandoned,
                    Detail = $"No activity since {idleFrom:O}",
                });
                outbox.Add(new PracticeSessionAbandoned(
                    session.Id, session.ScenarioId, session.ScenarioVersion, session.LearnerId, session.InstitutionId,
                    session.StartedAt, now));
            }

            if (batch.Count > 0)
            {
                await db.SaveChangesAsync(token);
            }

            await transaction.CommitAsync(token);
            return batch.Count;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Abandoned {Count} practice sessions idle for longer than {AbandonAfter}")]
    private static partial void LogAbandoned(ILogger logger, int count, TimeSpan abandonAfter);
}

/// <summary>Runs <see cref="SessionAbandonment"/> every <see cref="SessionLifecycleOptions.AbandonCheckInterval"/>.
/// Every replica runs it; the row locks keep them from abandoning a session twice.</summary>
internal sealed partial class SessionAbandonmentJob(
    SessionAbandonment abandonment,
    IOptions<SessionLifecycleOptions> options,
    TimeProvider time,
    ILogger<SessionAbandonmentJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AbandonCheckInterval, time);
        while (await NextTickAsync(timer, stoppingToken))
        {
            try
            {
                await abandonment.AbandonIdleSessionsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database may be unreachable or not migrated yet: the next tick tries again.
                LogAbandonmentFailed(logger, ex);
            }
        }
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abandon idle practice sessions; trying again at the next check")]
    private static partial void LogAbandonmentFailed(ILogger logger, Exception exception);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.IntegrationEvents.Events;
using PracticePlatform.Realtime.Model;
using PracticePlatform.Redis;

namespace PracticePlatform.Realtime.Conversations;

public enum AppendOutcome
{
    /// <summary>Stored now.</summary>
    Stored,

    /// <summary>Stored before under the same clientMessageId: not stored again.</summary>
    Duplicate,

    /// <summary>The session has ended: nothing is stored any more.</summary>
    Closed,
}

/// <summary>The outcome of storing an utterance: its sequence number and the one its reply will take.</summary>
public sealed record AppendedUtterance(AppendOutcome Outcome, long Seq, long ReplySeq);

/// <summary>
/// The durable transcript. An utterance is committed before anyone is told it was received; sequence numbers come
/// from the conversation row, updated in the same transaction, so they are gapless in order of storing and two
/// replicas never hand out the same one; a clientMessageId is stored once per session (a unique index), so a resent
/// utterance is recognised whichever replica it reaches. Each call uses its own DbContext, so the receiving loop and
/// the reply being produced can both use the store.
/// </summary>
public sealed class ConversationStore(IServiceScopeFactory scopes, RedisClient redis, IOptions<ConversationOptions> options, TimeProvider time)
{
    /// <summary>Creates the conversation row for a session, once.</summary>
    public async Task<Conversation> EnsureAsync(PracticeSessionInfo session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO conversations (practice_session_id, learner_id, institution_id, scenario_id, scenario_version, last_seq, created_at)
            VALUES ({session.Id}, {session.LearnerId}, {session.InstitutionId}, {session.ScenarioId}, {session.ScenarioVersion}, 0, {time.GetUtcNow()})
            ON CONFLICT (practice_session_id) DO NOTHING
            """, cancellationToken);
        return await db.Conversations.AsNoTracking().SingleAsync(c => c.PracticeSessionId == session.Id, cancellationToken);
    }

    public async Task<AppendedUtterance> AppendUtteranceAsync(Guid sessionId, Guid clientMessageId, string text, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        var existing = await FindByClientIdAsync(db, sessionId, clientMessageId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);

                // Takes the next two numbers and holds the conversation row until commit: one writer at a time.
                var taken = await db.Database
                    .SqlQuery<long>($"UPDATE conversations SET last_seq = last_seq + 2 WHERE practice_session_id = {sessionId} AND closed_at IS NULL RETURNING last_seq AS \"Value\"")
                    .ToListAsync(ct);
                if (taken.Count == 0)
                {
                    return new AppendedUtterance(AppendOutcome.Closed, 0, 0);
                }

                var seq = taken[0] - 1;
                var now = time.GetUtcNow();
                db.SessionMessages.Add(new SessionMessage
                {
                    PracticeSessionId = sessionId,
                    Seq = seq,
                    Speaker = Speaker.Learner,
                    Text = text,
                    ClientMessageId = clientMessageId,
                    CreatedAt = now,
                });

                // Sessions hears that the learner is active, at most once per interval per session.
                if (await redis.SetAsync($"realtime:activity-reported:{sessionId:N}", "1", options.Value.ActivityReportInterval, onlyIfAbsent: true, cancellationToken: ct))
                {
                    scope.ServiceProvider.GetRequiredService<IEventOutbox>()
                        .Add(new ConversationActivity(sessionId, now, (int)(taken[0] / 2)));
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return new AppendedUtterance(AppendOutcome.Stored, seq, seq + 1);
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same utterance, resent on another connection at the same moment: the first one stored it.
            db.ChangeTracker.Clear();
            return await FindByClientIdAsync(db, sessionId, clientMessageId, cancellationToken)
                ?? throw new InvalidOperationException($"Utterance {clientMessageId} of session {sessionId} collided but is not stored.", ex);
        }
    }

    /// <summary>Stores the patient's finished reply under the number its utterance reserved (again is a no-op).</summary>
    public async Task StoreReplyAsync(Guid sessionId, long seq, string text, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO session_messages (id, practice_session_id, seq, speaker, text, created_at)
            VALUES ({Guid.CreateVersion7()}, {sessionId}, {seq}, {nameof(Speaker.Patient)}, {text}, {time.GetUtcNow()})
            ON CONFLICT (practice_session_id, seq) DO NOTHING
            """, cancellationToken);
    }

    /// <summary>The stored messages after <paramref name="after"/> (all with 0), in order.</summary>
    public async Task<IReadOnlyList<SessionMessage>> ReadAfterAsync(Guid sessionId, long after, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        return await db.SessionMessages.AsNoTracking()
            .Where(m => m.PracticeSessionId == sessionId && m.Seq > after)
            .OrderBy(m => m.Seq)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Whether the session's conversation has been closed (the session ended).</summary>
    public async Task<bool> IsClosedAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        return await db.Conversations.AsNoTracking().AnyAsync(c => c.PracticeSessionId == sessionId && c.ClosedAt != null, cancellationToken);
    }

    private static async Task<AppendedUtterance?> FindByClientIdAsync(RealtimeDbContext db, Guid sessionId, Guid clientMessageId, CancellationToken cancellationToken)
    {
        var seq = await db.SessionMessages.AsNoTracking()
            .Where(m => m.PracticeSessionId == sessionId && m.ClientMessageId == clientMessageId)
            .Select(m => (long?)m.Seq)
            .SingleOrDefaultAsync(cancellationToken);
        return seq is { } found ? new AppendedUtterance(AppendOutcome.Duplicate, found, found + 1) : null;
    }
}

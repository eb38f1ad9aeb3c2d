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
/// from the conversation row, updated in the same statement, so they follow the order of storing and two
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
        var now = time.GetUtcNow();
        List<StoredRow> rows;
        try
        {
            // One statement, so one round trip and atomic: a resent utterance finds its first number; otherwise the
            // conversation row (if still open) hands out the next two numbers, holding its row lock until the insert
            // commits, so writers of one session take turns and the numbers follow the order of storing.
            rows = await db.Database.SqlQuery<StoredRow>(
                $"""
                WITH existing AS (
                    SELECT seq FROM session_messages WHERE practice_session_id = {sessionId} AND client_message_id = {clientMessageId}),
                next AS (
                    UPDATE conversations SET last_seq = last_seq + 2
                    WHERE practice_session_id = {sessionId} AND closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM existing)
                    RETURNING last_seq),
                inserted AS (
                    INSERT INTO session_messages (id, practice_session_id, seq, speaker, text, client_message_id, created_at)
                    SELECT {Guid.CreateVersion7()}, {sessionId}, last_seq - 1, {nameof(Speaker.Learner)}, {text}, {clientMessageId}, {now} FROM next
                    RETURNING seq)
                SELECT false AS "Duplicate", seq AS "Seq" FROM inserted
                UNION ALL
                SELECT true AS "Duplicate", seq AS "Seq" FROM existing
                """).ToListAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same utterance, resent on another connection at the same moment: the first one stored it.
            return await FindByClientIdAsync(db, sessionId, clientMessageId, cancellationToken)
                ?? throw new InvalidOperationException($"Utterance {clientMessageId} of session {sessionId} collided but is not stored.", ex);
        }

        if (rows.Count == 0)
        {
            return new AppendedUtterance(AppendOutcome.Closed, 0, 0);
        }

        var row = rows[0];
        return new AppendedUtterance(row.Duplicate ? AppendOutcome.Duplicate : AppendOutcome.Stored, row.Seq, row.Seq + 1);
    }

    /// <summary>Tells sessions the learner is active (ConversationActivity through the outbox), at most once per
    /// interval per session: a heartbeat, so a missed one only delays the next.</summary>
    public async Task ReportActivityAsync(Guid sessionId, long seq, CancellationToken cancellationToken)
    {
        if (await redis.SetAsync($"realtime:activity-reported:{sessionId:N}", "1", options.Value.ActivityReportInterval, onlyIfAbsent: true, cancellationToken: cancellationToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
            scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(new ConversationActivity(sessionId, time.GetUtcNow(), (int)((seq + 1) / 2)));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private sealed record StoredRow(bool Duplicate, long Seq);

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
    public Task<IReadOnlyList<SessionMessage>> ReadAfterAsync(Guid sessionId, long after, CancellationToken cancellationToken) =>
        ReadBetweenAsync(sessionId, after, long.MaxValue, cancellationToken);

    /// <summary>The stored messages after <paramref name="after"/> and before <paramref name="before"/>, in order.</summary>
    public async Task<IReadOnlyList<SessionMessage>> ReadBetweenAsync(Guid sessionId, long after, long before, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        return await db.SessionMessages.AsNoTracking()
            .Where(m => m.PracticeSessionId == sessionId && m.Seq > after && m.Seq < before)
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

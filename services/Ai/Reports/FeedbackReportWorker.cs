using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.Model;

namespace PracticePlatform.Ai.Reports;

/// <summary>
/// Leases feedback-report executions that can run (their transcript has arrived, or their last worker's lease ran out)
/// and runs them with <see cref="FeedbackReportAgent"/>. Several replicas share the work: a lease is taken with
/// <c>FOR UPDATE SKIP LOCKED</c>. A failed attempt is retried with a doubling wait, then the report is marked failed.
/// </summary>
public sealed partial class FeedbackReportWorker(
    IServiceScopeFactory scopes,
    FeedbackWorkSignal signal,
    IOptions<FeedbackOptions> options,
    TimeProvider time,
    ILogger<FeedbackReportWorker> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Work until nothing is runnable, then wait for a hint or the next poll. A hint can come just before
                // the commit it announces, so after one the worker looks again shortly.
                while (await RunNextAsync(stoppingToken))
                {
                }

                if (await signal.WaitAsync(options.Value.PollInterval, stoppingToken))
                {
                    for (var retry = 0; retry < 3 && !await RunNextAsync(stoppingToken); retry++)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50 << retry), time, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWorkerFault(logger, ex);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Leases and runs one execution; false when there was nothing to run.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AiDbContext>();
        var executionId = await LeaseNextAsync(db, cancellationToken);
        if (executionId is not { } id)
        {
            return false;
        }

        try
        {
            await scope.ServiceProvider.GetRequiredService<FeedbackReportAgent>().RunAsync(id, _owner, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and another worker (or this one after a restart) resumes the run.
            throw;
        }
        catch (LeaseLostException ex)
        {
            LogLeaseLost(logger, ex, id);
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(id, ex, cancellationToken);
        }

        return true;
    }

    private async Task<Guid?> LeaseNextAsync(AiDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = now + options.Value.Lease;
        var agent = AgentExecution.FeedbackReportAgent;
        var leased = await db.Database.SqlQuery<Guid>($"""
            UPDATE agent_executions
            SET status = 'Running', lease_owner = {_owner}, lease_expires_at = {until}, attempts = attempts + 1
            WHERE id = (
                SELECT e.id FROM agent_executions e
                WHERE e.agent = {agent} AND e.not_before <= {now}
                  AND ((e.status = 'Pending' AND EXISTS (SELECT 1 FROM session_transcripts t WHERE t.practice_session_id = e.subject_id))
                    OR (e.status = 'Running' AND e.lease_expires_at < {now}))
                ORDER BY e.created_at
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return leased.Count == 0 ? null : leased[0];
    }

    private async Task RecordFailureAsync(Guid executionId, Exception failure, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AiDbContext>();
        var execution = await db.AgentExecutions.SingleAsync(e => e.Id == executionId, cancellationToken);
        if (execution.LeaseOwner != _owner || execution.Status != AgentExecutionStatus.Running)
        {
            return;
        }

        var now = time.GetUtcNow();
        execution.LastError = failure.Message.Length > 2000 ? failure.Message[..2000] : failure.Message;
        execution.LeaseOwner = null;
        execution.LeaseExpiresAt = null;
        if (execution.Attempts >= options.Value.MaxAttempts)
        {
            execution.Status = AgentExecutionStatus.Failed;
            execution.CompletedAt = now;
            var report = await db.FeedbackReports.SingleAsync(r => r.PracticeSessionId == execution.SubjectId, cancellationToken);
            if (report.Status == FeedbackStatus.Pending)
            {
                report.Status = FeedbackStatus.Failed;
                report.FailureReason = "The feedback report could not be produced. An operator has been told; the session itself is kept.";
                report.CompletedAt = now;
            }

            LogGaveUp(logger, failure, execution.SubjectId, execution.Attempts);
        }
        else
        {
            execution.Status = AgentExecutionStatus.Pending;
            execution.NotBefore = now + TimeSpan.FromSeconds(2 * Math.Pow(2, execution.Attempts - 1));
            LogAttemptFailed(logger, failure, execution.SubjectId, execution.Attempts, execution.NotBefore);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The feedback report worker failed; it carries on")]
    private static partial void LogWorkerFault(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent execution {ExecutionId} was taken over by another worker; this one stopped")]
    private static partial void LogLeaseLost(ILogger logger, Exception exception, Guid executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback report for session {SessionId} failed on attempt {Attempt}; retrying from its last checkpoint at {NotBefore}")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid sessionId, int attempt, DateTimeOffset notBefore);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feedback report for session {SessionId} failed {Attempts} times; marked failed")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, Guid sessionId, int attempts);
}

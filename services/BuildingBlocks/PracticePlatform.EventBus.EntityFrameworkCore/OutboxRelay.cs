using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>
/// Sends committed outbox events to the broker and deletes them: the rows this process just committed right away
/// (the interceptor hands over their keys), and every <see cref="OutboxOptions.PollInterval"/> whatever else is in
/// the table: rows left by a crash, by another replica, or while the broker was down. Rows are taken with
/// <c>FOR UPDATE SKIP LOCKED</c>, so replicas relay different events, and deleted in the transaction that locked
/// them. If the process dies between the send and that commit the event is sent again, which the consumers' inbox
/// absorbs: delivery is at least once, the effect exactly once. Deleting keeps the table small, so vacuum keeps its
/// indexes lean.
/// </summary>
internal sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopeFactory,
    IEventTransport transport,
    OutboxSignal signal,
    EventBusTelemetry telemetry,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private OutboxOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var nextScan = time.GetUtcNow(); // at start: whatever an earlier run left
        var nextCleanup = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (signal.TakeOverflow() || time.GetUtcNow() >= nextScan)
                {
                    while (await RelayBatchAsync(sequences: null, stoppingToken) == Options.BatchSize)
                    {
                        // A full batch: there may be more waiting.
                    }

                    nextScan = time.GetUtcNow() + Options.PollInterval;
                }

                for (var committed = signal.Take(Options.BatchSize); committed.Count > 0; committed = signal.Take(Options.BatchSize))
                {
                    await RelayBatchAsync(committed, stoppingToken);
                }

                if (failures > 0)
                {
                    LogRecovered(logger, typeof(TContext).Name);
                }

                failures = 0;
                if (time.GetUtcNow() >= nextCleanup)
                {
                    await CleanUpAsync(stoppingToken);
                    nextCleanup = time.GetUtcNow() + Options.CleanupInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The broker or the database is unreachable, or the tables are not migrated yet: all pass with time,
                // and the relay must outlive them. Keys taken from the signal may be lost: scan when it recovers.
                failures++;
                var delay = RetryDelay(failures);
                nextScan = time.GetUtcNow() + delay;
                LogRelayFailed(logger, typeof(TContext).Name, delay.TotalSeconds, ex.Message);
            }

            try
            {
                var untilScan = nextScan - time.GetUtcNow();
                if (failures > 0)
                {
                    // A new commit does not make the broker reachable: keep the back-off.
                    await Task.Delay(untilScan > TimeSpan.Zero ? untilScan : TimeSpan.Zero, time, stoppingToken);
                }
                else if (untilScan > TimeSpan.Zero)
                {
                    await signal.WaitAsync(untilScan, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Sends up to one batch: the rows with these sequence numbers, or the oldest rows when null. Returns
    /// how many rows it took.</summary>
    internal async Task<int> RelayBatchAsync(IReadOnlyList<long>? sequences, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            (Db: db, Relay: this, Sequences: sequences),
            static async (_, state, token) =>
            {
                state.Db.ChangeTracker.Clear();
                return await state.Relay.RelayBatchAsync(state.Db, state.Sequences, token);
            },
            verifySucceeded: null,
            cancellationToken);
    }

    private async Task<int> RelayBatchAsync(TContext db, IReadOnlyList<long>? sequences, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = db.Set<OutboxMessage>();
        var query = sequences is null
            ? rows.FromSql($"SELECT * FROM outbox_messages ORDER BY sequence LIMIT {Options.BatchSize} FOR UPDATE SKIP LOCKED")
            : rows.FromSql($"SELECT * FROM outbox_messages WHERE sequence = ANY({sequences.ToArray()}) ORDER BY sequence FOR UPDATE SKIP LOCKED");
        var batch = await query.ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        // Started in order on one pipelined connection, so they reach the broker in order without a round trip each.
        var sends = batch.Select(message => SendAsync(message, cancellationToken)).ToList();
        Exception? failure = null;
        var unsent = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                await sends[i];
                rows.Remove(batch[i]);
                telemetry.Published(batch[i].EventType);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                batch[i].Attempts++;
                batch[i].LastError = Truncate(ex.Message, 2000);
                failure ??= ex;
                unsent++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (failure is not null)
        {
            throw new OutboxRelayException($"{unsent} of {batch.Count} events could not be sent: {failure.Message}", failure);
        }

        LogRelayed(logger, batch.Count, typeof(TContext).Name);
        return batch.Count;
    }

    private async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(message.TraceParent, message.TraceState, out var parent);
        using var activity = EventBusTelemetry.ActivitySource.StartActivity($"{message.EventType} send", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", message.EventType);
        activity?.SetTag("messaging.message.id", message.EventId.ToString());
        try
        {
            await transport.PublishAsync(message.ToEnvelope(), cancellationToken);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var handledBefore = time.GetUtcNow() - Options.InboxRetention;
        var expired = await db.Set<InboxMessage>().Where(m => m.ProcessedAt < handledBefore).ExecuteDeleteAsync(cancellationToken);
        if (expired > 0)
        {
            LogCleanedUp(logger, expired, typeof(TContext).Name);
        }
    }

    private TimeSpan RetryDelay(int failures)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 1, 16)));
        return delay < Options.MaxRetryDelay ? delay : Options.MaxRetryDelay;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relayed {Count} outbox events from {Context}")]
    private static partial void LogRelayed(ILogger logger, int count, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not relay {Context} outbox events; retrying in {DelaySeconds:F0} s: {Reason}")]
    private static partial void LogRelayFailed(ILogger logger, string context, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relaying {Context} outbox events again")]
    private static partial void LogRecovered(ILogger logger, string context);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Expired} expired inbox rows from {Context}")]
    private static partial void LogCleanedUp(ILogger logger, int expired, string context);
}

/// <summary>Some events of a batch could not be sent; they stay in the outbox for the next attempt.</summary>
internal sealed class OutboxRelayException(string message, Exception innerException) : Exception(message, innerException);

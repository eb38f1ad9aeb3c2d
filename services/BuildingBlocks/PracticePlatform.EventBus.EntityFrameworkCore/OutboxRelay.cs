using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>
/// Sends committed outbox events to the broker: right after a commit (the interceptor signals it), and every
/// <see cref="OutboxOptions.PollInterval"/> for events left behind by a crash or a broker outage. Rows are taken
/// with <c>FOR UPDATE SKIP LOCKED</c>, so replicas relay different events; a row is marked sent in the same
/// transaction that locked it. If the process dies between the send and that commit the event is sent again, which
/// the consumers' inbox absorbs: delivery is at least once, the effect exactly once.
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
        var nextCleanup = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Options.PollInterval;
            try
            {
                while (await RelayBatchAsync(stoppingToken) == Options.BatchSize)
                {
                    // A full batch: there may be more waiting.
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
                // and the relay must outlive them.
                failures++;
                wait = RetryDelay(failures);
                LogRelayFailed(logger, typeof(TContext).Name, wait.TotalSeconds, ex.Message);
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
                if (failures > 0)
                {
                    // A new commit does not make the broker reachable: keep the back-off.
                    await Task.Delay(wait, time, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Sends up to one batch; returns how many rows it took.</summary>
    internal async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            (Db: db, Relay: this),
            static async (_, state, token) =>
            {
                state.Db.ChangeTracker.Clear();
                return await state.Relay.RelayBatchAsync(state.Db, token);
            },
            verifySucceeded: null,
            cancellationToken);
    }

    private async Task<int> RelayBatchAsync(TContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = await db.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM outbox_messages WHERE published_at IS NULL ORDER BY sequence LIMIT {Options.BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        // Started in order on one pipelined connection, so they reach the broker in order without a round trip each.
        var sends = batch.Select(message => SendAsync(message, cancellationToken)).ToList();
        Exception? failure = null;
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                await sends[i];
                batch[i].PublishedAt = time.GetUtcNow();
                telemetry.Published(batch[i].EventType);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                batch[i].Attempts++;
                batch[i].LastError = Truncate(ex.Message, 2000);
                failure ??= ex;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (failure is not null)
        {
            throw new OutboxRelayException($"{batch.Count(m => m.PublishedAt is null)} of {batch.Count} events could not be sent: {failure.Message}", failure);
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
        var now = time.GetUtcNow();
        var sentBefore = now - Options.PublishedRetention;
        var handledBefore = now - Options.InboxRetention;
        var sent = await db.Set<OutboxMessage>().Where(m => m.PublishedAt != null && m.PublishedAt < sentBefore).ExecuteDeleteAsync(cancellationToken);
        var handled = await db.Set<InboxMessage>().Where(m => m.ProcessedAt < handledBefore).ExecuteDeleteAsync(cancellationToken);
        if (sent + handled > 0)
        {
            LogCleanedUp(logger, sent, handled, typeof(TContext).Name);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Sent} sent outbox rows and {Handled} expired inbox rows from {Context}")]
    private static partial void LogCleanedUp(ILogger logger, int sent, int handled, string context);
}

/// <summary>Some events of a batch could not be sent; they stay in the outbox for the next attempt.</summary>
internal sealed class OutboxRelayException(string message, Exception innerException) : Exception(message, innerException);

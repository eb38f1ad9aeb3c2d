using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PracticePlatform.Redis;

namespace PracticePlatform.EventBus.RedisStreams;

/// <summary>
/// Delivers the subscribed events to their handlers: one consumer group per service, one consumer per instance.
/// New entries are read with XREADGROUP (one dedicated, blocking connection per stream); an entry is acknowledged
/// only after every handler succeeded. A periodic pass takes failed entries back after an exponential retry delay,
/// takes over entries a dead instance left pending after <see cref="EventBusOptions.ClaimIdleTime"/>, and moves
/// entries that used up <see cref="EventBusOptions.MaxDeliveryAttempts"/> to the dead-letter stream.
/// </summary>
internal sealed partial class RedisStreamsConsumer(
    RedisClient redis,
    EventSubscriptions subscriptions,
    EventStreams streams,
    IServiceScopeFactory scopeFactory,
    IOptions<EventBusOptions> options,
    EventBusTelemetry telemetry,
    ILogger<RedisStreamsConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan ReclaimInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RedisRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StaleConsumerSweepInterval = TimeSpan.FromMinutes(1);

    // Long enough for an operator to read why an entry failed; the hash is refreshed on every failure.
    private static readonly TimeSpan ErrorRetention = TimeSpan.FromDays(7);
    private static int s_instances;

    // Entries this instance is handling right now (stream/id), so the reclaim pass never takes one up twice.
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _lastErrors = new(StringComparer.Ordinal);
    private readonly int _instance = Interlocked.Increment(ref s_instances);

    private EventBusOptions Options => options.Value;

    private string Group => Options.ServiceName;

    /// <summary>Unique per instance; a second consumer in the same process (tests) gets a suffix.</summary>
    internal string ConsumerName => _instance == 1
        ? $"{Options.ServiceName}-{Environment.MachineName}-{Environment.ProcessId}"
        : $"{Options.ServiceName}-{Environment.MachineName}-{Environment.ProcessId}-{_instance.ToString(CultureInfo.InvariantCulture)}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (subscriptions.All.Count == 0)
        {
            return;
        }

        LogStarting(logger, ConsumerName, Group, string.Join(", ", subscriptions.All.Select(s => s.EventTypeName)));
        var loops = subscriptions.All.Select(s => ReadLoopAsync(s, stoppingToken)).Append(ReclaimLoopAsync(stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task ReadLoopAsync(EventSubscription subscription, CancellationToken stoppingToken)
    {
        var stream = streams.StreamOf(subscription.EventTypeName);
        await using var connection = redis.CreateDedicated($"eventbus:{subscription.EventTypeName}");
        var groupReady = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!groupReady)
                {
                    await CreateGroupAsync(stream, stoppingToken);
                    groupReady = true;
                }

                var entries = await connection.StreamReadGroupAsync(stream, Group, ConsumerName, Options.BatchSize, ">", Options.BlockTime, stoppingToken);
                var keys = entries.Select(e => Key(stream, e.Id)).ToList();
                keys.ForEach(key => _inFlight.TryAdd(key, 0));
                var handled = new List<string>(entries.Count);
                try
                {
                    foreach (var entry in entries)
                    {
                        if (await ProcessAsync(subscription, stream, entry, attempt: 1, stoppingToken))
                        {
                            handled.Add(entry.Id);
                        }
                    }
                }
                finally
                {
                    // One XACK for the batch, sent even while stopping: those handlers have run. Until it is sent the
                    // entries stay in flight, so the reclaim pass does not take them up again.
                    if (handled.Count > 0)
                    {
                        await AcknowledgeAsync(subscription.EventTypeName, stream, handled, retried: false);
                    }

                    keys.ForEach(key => _inFlight.TryRemove(key, out _));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException ex) when (IsMissingGroup(ex))
            {
                // The stream was deleted or Redis restarted empty: make the group again and carry on.
                LogGroupMissing(logger, stream, Group);
                groupReady = false;
            }
            catch (RedisException ex)
            {
                LogRedisUnavailable(logger, stream, ex.Message);
                await PauseAsync(RedisRetryDelay, stoppingToken);
            }
        }
    }

    private async Task ReclaimLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReclaimInterval);
        var nextSweep = DateTime.UtcNow;
        do
        {
            var sweep = DateTime.UtcNow >= nextSweep;
            if (sweep)
            {
                nextSweep = DateTime.UtcNow + StaleConsumerSweepInterval;
            }

            foreach (var subscription in subscriptions.All)
            {
                var stream = streams.StreamOf(subscription.EventTypeName);
                try
                {
                    await ReclaimAsync(subscription, stream, stoppingToken);
                    if (sweep)
                    {
                        await RemoveStaleConsumersAsync(stream, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (RedisServerException ex) when (IsMissingGroup(ex))
                {
                    await TryCreateGroupAsync(stream, stoppingToken);
                }
                catch (RedisException ex)
                {
                    LogRedisUnavailable(logger, stream, ex.Message);
                }
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private async Task ReclaimAsync(EventSubscription subscription, string stream, CancellationToken cancellationToken)
    {
        var group = (await redis.StreamGroupsAsync(stream, cancellationToken)).FirstOrDefault(g => g.Name == Group);
        if (group is null)
        {
            await CreateGroupAsync(stream, cancellationToken);
            return;
        }

        if (group.Lag is { } lag)
        {
            telemetry.RecordLag(subscription.EventTypeName, lag);
        }

        var pending = await redis.StreamPendingAsync(stream, Group, Options.BatchSize * 4, cancellationToken: cancellationToken);
        foreach (var entry in pending)
        {
            // Another instance may still be working on its entry, so only a long silence means it died. This
            // instance's own entries are not in flight (checked below), so they wait only for their retry delay.
            var mine = entry.Consumer == ConsumerName;
            var exhausted = entry.DeliveryCount >= Options.MaxDeliveryAttempts;
            var minIdle = mine ? Options.RetryDelayFor(entry.DeliveryCount) : Options.ClaimIdleTime;
            var key = Key(stream, entry.Id);
            if (entry.Idle < minIdle || !_inFlight.TryAdd(key, 0))
            {
                continue;
            }

            try
            {
                // XCLAIM re-checks the idle time atomically, so two instances never both take an entry up.
                var claimed = await redis.StreamClaimAsync(stream, Group, ConsumerName, minIdle, [entry.Id], cancellationToken);
                if (claimed.Count == 0)
                {
                    continue;
                }

                if (!mine)
                {
                    LogClaimed(logger, stream, entry.Id, entry.Consumer, entry.Idle.TotalSeconds);
                }

                if (exhausted)
                {
                    var error = _lastErrors.TryRemove(key, out var last)
                        ? last
                        : await redis.HashGetAsync(streams.ErrorsOf(subscription.EventTypeName, Group), entry.Id, cancellationToken)
                          ?? "Unknown: the instance that made the failed attempts recorded no error.";
                    await DeadLetterAsync(subscription.EventTypeName, stream, claimed[0], error, entry.DeliveryCount, cancellationToken);
                    continue;
                }

                telemetry.Retried(subscription.EventTypeName);
                if (await ProcessAsync(subscription, stream, claimed[0], entry.DeliveryCount + 1, cancellationToken))
                {
                    await AcknowledgeAsync(subscription.EventTypeName, stream, [entry.Id], retried: true);
                }
            }
            finally
            {
                _inFlight.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Runs the handlers; true when they all succeeded and the entry is to be acknowledged.</summary>
    private async Task<bool> ProcessAsync(EventSubscription subscription, string stream, StreamEntry entry, long attempt, CancellationToken cancellationToken)
    {
        var eventType = subscription.EventTypeName;
        var key = Key(stream, entry.Id);
        EventEnvelope envelope;
        IntegrationEvent @event;
        try
        {
            envelope = EventStreams.Envelope(entry.Fields);
            @event = (IntegrationEvent?)JsonSerializer.Deserialize(envelope.Payload, subscription.EventType, EventBus.SerializerOptions)
                     ?? throw new FormatException("The payload is null.");
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException)
        {
            // No retry can fix an entry that cannot be read.
            await DeadLetterAsync(eventType, stream, entry, $"Unreadable entry: {ex.Message}", attempt, cancellationToken);
            return false;
        }

        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, out var parent);
        using var activity = EventBusTelemetry.ActivitySource.StartActivity($"{eventType} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", stream);
        activity?.SetTag("messaging.consumer.group.name", Group);
        activity?.SetTag("messaging.message.id", envelope.EventId.ToString());
        activity?.SetTag("messaging.redis.delivery_count", attempt);

        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            await subscription.HandleAsync(scope.ServiceProvider, @event, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Left pending: the reclaim pass retries it after the retry delay.
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
            _lastErrors[key] = ex.Message;
            LogHandlerFailed(logger, ex, eventType, envelope.EventId, attempt, Options.MaxDeliveryAttempts);
            await RecordErrorAsync(eventType, entry.Id, ex.Message);
            return false;
        }

        return true;
    }

    /// <summary>Not cancellable: the handlers have run, so the acknowledgement goes out even while stopping.</summary>
    private async Task AcknowledgeAsync(string eventType, string stream, List<string> ids, bool retried)
    {
        await redis.StreamAcknowledgeAsync(stream, Group, ids, CancellationToken.None);
        telemetry.Delivered(eventType, ids.Count);
        if (retried)
        {
            foreach (var id in ids)
            {
                _lastErrors.TryRemove(Key(stream, id), out _);
                await ForgetErrorAsync(eventType, id);
            }
        }
    }

    /// <summary>Kept in Redis as well as in memory, so whichever instance finally dead-letters the entry can say
    /// why it failed. Best effort: losing it loses a message, not an event.</summary>
    private async Task RecordErrorAsync(string eventType, string entryId, string error)
    {
        var errors = streams.ErrorsOf(eventType, Group);
        try
        {
            await redis.HashSetAsync(errors, [new(entryId, error)], CancellationToken.None);
            await redis.ExpireAsync(errors, ErrorRetention, CancellationToken.None);
        }
        catch (RedisException ex)
        {
            LogRedisUnavailable(logger, errors, ex.Message);
        }
    }

    private async Task ForgetErrorAsync(string eventType, string entryId)
    {
        try
        {
            await redis.HashDeleteAsync(streams.ErrorsOf(eventType, Group), entryId, CancellationToken.None);
        }
        catch (RedisException ex)
        {
            LogRedisUnavailable(logger, streams.ErrorsOf(eventType, Group), ex.Message);
        }
    }

    /// <summary>Instances that stopped leave their consumer names in the group. A name with nothing pending that has
    /// not been given anything for <see cref="EventBusOptions.StaleConsumerTime"/> is removed: usually a stopped
    /// instance; if it is a live but quiet one, Redis makes the name again with its next delivery, so nothing is lost.
    /// A name with pending entries stays until the reclaim pass has taken them over.</summary>
    private async Task RemoveStaleConsumersAsync(string stream, CancellationToken cancellationToken)
    {
        foreach (var consumer in await redis.StreamConsumersAsync(stream, Group, cancellationToken))
        {
            if (consumer.Name != ConsumerName && consumer.Pending == 0 && consumer.Idle >= Options.StaleConsumerTime)
            {
                await redis.StreamDeleteConsumerAsync(stream, Group, consumer.Name, cancellationToken);
                LogStaleConsumerRemoved(logger, consumer.Name, stream, consumer.Idle.TotalMinutes);
            }
        }
    }

    private async Task DeadLetterAsync(string eventType, string stream, StreamEntry entry, string error, long attempts, CancellationToken cancellationToken)
    {
        var fields = entry.Fields.Where(f => !EventStreams.DeadLetterFields.Contains(f.Key)).ToList();
        fields.Add(new(EventStreams.Group, Group));
        fields.Add(new(EventStreams.Error, error));
        fields.Add(new(EventStreams.Attempts, attempts.ToString(CultureInfo.InvariantCulture)));
        fields.Add(new(EventStreams.DeadAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        fields.Add(new(EventStreams.OriginalId, entry.Id));
        await redis.StreamAddAsync(streams.DeadLetterStreamOf(eventType), fields, Options.MaxStreamLength, cancellationToken);
        await redis.StreamAcknowledgeAsync(stream, Group, entry.Id, CancellationToken.None);
        await ForgetErrorAsync(eventType, entry.Id);
        telemetry.DeadLettered(eventType);
        LogDeadLettered(logger, eventType, entry.Id, attempts, error);
    }

    private async Task CreateGroupAsync(string stream, CancellationToken cancellationToken)
    {
        // From "0": events published before this service first started are delivered too.
        if (await redis.StreamCreateGroupAsync(stream, Group, "0", cancellationToken))
        {
            LogGroupCreated(logger, stream, Group);
        }
    }

    private async Task TryCreateGroupAsync(string stream, CancellationToken cancellationToken)
    {
        try
        {
            await CreateGroupAsync(stream, cancellationToken);
        }
        catch (RedisException ex)
        {
            LogRedisUnavailable(logger, stream, ex.Message);
        }
    }

    private static bool IsMissingGroup(RedisServerException ex) =>
        ex.Kind == "NOGROUP" || (ex.Kind == "ERR" && ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase));

    private static string Key(string stream, string id) => $"{stream}/{id}";

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

    private static async Task PauseAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event consumer {Consumer} in group {Group} subscribed to {EventTypes}")]
    private static partial void LogStarting(ILogger logger, string consumer, string group, string eventTypes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created consumer group {Group} on {Stream}")]
    private static partial void LogGroupCreated(ILogger logger, string stream, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer group {Group} on {Stream} is missing (stream deleted or Redis emptied); recreating it")]
    private static partial void LogGroupMissing(ILogger logger, string stream, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while consuming {Stream}; retrying: {Reason}")]
    private static partial void LogRedisUnavailable(ILogger logger, string stream, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling {EventType} {EventId} failed (attempt {Attempt} of {MaxAttempts}); it will be retried")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string eventType, Guid eventId, long attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over {Stream} entry {EntryId} from {Consumer}, idle for {IdleSeconds:F1} s")]
    private static partial void LogClaimed(ILogger logger, string stream, string entryId, string consumer, double idleSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed consumer {Consumer} from {Stream}: nothing pending and idle for {IdleMinutes:F0} min")]
    private static partial void LogStaleConsumerRemoved(ILogger logger, string consumer, string stream, double idleMinutes);

    [LoggerMessage(Level = LogLevel.Error, Message = "{EventType} entry {EntryId} moved to the dead-letter stream after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, string eventType, string entryId, long attempts, string error);
}

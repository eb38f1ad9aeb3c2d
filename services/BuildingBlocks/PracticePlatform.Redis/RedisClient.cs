using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis;

/// <summary>
/// The commands the platform uses, over one shared, pipelined <see cref="RedisConnection"/>. Register one per
/// endpoint (a singleton); it is safe to use from any thread.
/// </summary>
public sealed partial class RedisClient : IAsyncDisposable
{
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<RedisSubscription, byte>> _subscriptions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscriptionLock = new(1, 1);

    public RedisClient(RedisOptions options, ILoggerFactory? loggerFactory = null)
    {
        _loggerFactory = loggerFactory;
        Connection = new RedisConnection(options, loggerFactory?.CreateLogger<RedisConnection>());
        Connection.PushReceived += OnPush;
        Connection.Reconnected += ResubscribeAsync;
    }

    public RedisConnection Connection { get; }

    public RedisOptions Options => Connection.Options;

    /// <summary>A separate connection for blocking commands (XREADGROUP BLOCK), which would stall the shared one.
    /// The caller disposes it.</summary>
    public RedisClient CreateDedicated(string purpose) =>
        new(Options with { ClientName = $"{Options.ClientName ?? "practiceplatform"}:{purpose}" }, _loggerFactory);

    public Task<RespValue> ExecuteAsync(RedisCommand command, CancellationToken cancellationToken = default) =>
        Connection.ExecuteAsync(command, cancellationToken);

    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await ExecuteAsync(new RedisCommand("PING"), cancellationToken);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    // Strings and counters

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("GET").Add(key), cancellationToken)).AsString();

    public async Task<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync(new RedisCommand("GET").Add(key), cancellationToken);
        return reply.IsNull ? null : reply.Bytes.ToArray();
    }

    /// <summary>SET with an optional expiry; <paramref name="onlyIfAbsent"/> makes it SET NX. True when it was set.</summary>
    public Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, bool onlyIfAbsent = false, CancellationToken cancellationToken = default) =>
        SetAsync(key, Encoding.UTF8.GetBytes(value), expiry, onlyIfAbsent, cancellationToken);

    public async Task<bool> SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, bool onlyIfAbsent = false, CancellationToken cancellationToken = default)
    {
        var command = new RedisCommand("SET").Add(key).Add(value);
        if (expiry is { } ttl)
        {
            command.Add("PX").Add(Milliseconds(ttl));
        }

        if (onlyIfAbsent)
        {
            command.Add("NX");
        }

        return !(await ExecuteAsync(command, cancellationToken)).IsNull;
    }

    public async Task<long> IncrementAsync(string key, long by = 1, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("INCRBY").Add(key).Add(by), cancellationToken)).Integer;

    public async Task<bool> ExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("PEXPIRE").Add(key).Add(Milliseconds(expiry)), cancellationToken)).Integer == 1;

    /// <summary>Remaining time to live; null when the key does not exist or never expires.</summary>
    public async Task<TimeSpan?> TimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        var milliseconds = (await ExecuteAsync(new RedisCommand("PTTL").Add(key), cancellationToken)).Integer;
        return milliseconds < 0 ? null : TimeSpan.FromMilliseconds(milliseconds);
    }

    public async Task<long> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("DEL").Add(key), cancellationToken)).Integer;

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("EXISTS").Add(key), cancellationToken)).Integer == 1;

    // Hashes

    public async Task HashSetAsync(string key, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default)
    {
        var command = new RedisCommand("HSET").Add(key);
        foreach (var (field, value) in fields)
        {
            command.Add(field).Add(value);
        }

        await ExecuteAsync(command, cancellationToken);
    }

    public async Task<string?> HashGetAsync(string key, string field, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("HGET").Add(key).Add(field), cancellationToken)).AsString();

    public async Task<IReadOnlyDictionary<string, string>> HashGetAllAsync(string key, CancellationToken cancellationToken = default) =>
        Pairs(await ExecuteAsync(new RedisCommand("HGETALL").Add(key), cancellationToken));

    public async Task<long> HashDeleteAsync(string key, string field, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("HDEL").Add(key).Add(field), cancellationToken)).Integer;

    // Scripts

    /// <summary>Runs the script by its SHA-1, sending the source only when the server does not have it yet.</summary>
    public Task<RespValue> EvaluateAsync(RedisScript script, IReadOnlyList<string> keys, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        EvaluateAsync(script, keys, arguments.Select(a => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(a)).ToList(), cancellationToken);

    /// <summary>As above, with binary-safe arguments.</summary>
    public async Task<RespValue> EvaluateAsync(RedisScript script, IReadOnlyList<string> keys, IReadOnlyList<ReadOnlyMemory<byte>> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        try
        {
            return await ExecuteAsync(ScriptCommand("EVALSHA", script.Sha1, keys, arguments), cancellationToken);
        }
        catch (RedisServerException ex) when (ex.Kind == "NOSCRIPT")
        {
            return await ExecuteAsync(ScriptCommand("EVAL", script.Source, keys, arguments), cancellationToken);
        }
    }

    // Pub/sub

    public async Task<long> PublishAsync(string channel, string message, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("PUBLISH").Add(channel).Add(message), cancellationToken)).Integer;

    /// <summary>Delivers each message published on <paramref name="channel"/> to <paramref name="handler"/>, in order,
    /// until the subscription is disposed. Survives reconnections (messages published while disconnected are lost:
    /// pub/sub is fire-and-forget; use streams for anything that must arrive).</summary>
    public async Task<RedisSubscription> SubscribeAsync(string channel, Func<string, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        var subscription = new RedisSubscription(this, channel, handler, _loggerFactory?.CreateLogger<RedisSubscription>());
        await _subscriptionLock.WaitAsync(cancellationToken);
        try
        {
            var handlers = _subscriptions.GetOrAdd(channel, _ => new ConcurrentDictionary<RedisSubscription, byte>());
            var first = handlers.IsEmpty;
            handlers[subscription] = 0;
            if (first)
            {
                await ExecuteAsync(new RedisCommand("SUBSCRIBE") { ConfirmedByPush = true }.Add(channel), cancellationToken);
            }
        }
        finally
        {
            _subscriptionLock.Release();
        }

        return subscription;
    }

    internal async Task UnsubscribeAsync(RedisSubscription subscription)
    {
        await _subscriptionLock.WaitAsync();
        try
        {
            if (_subscriptions.TryGetValue(subscription.Channel, out var handlers) && handlers.TryRemove(subscription, out _) && handlers.IsEmpty)
            {
                _subscriptions.TryRemove(subscription.Channel, out _);
                if (Connection.IsConnected)
                {
                    await ExecuteAsync(new RedisCommand("UNSUBSCRIBE") { ConfirmedByPush = true }.Add(subscription.Channel));
                }
            }
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    // Streams

    /// <summary>XADD; with <paramref name="maxLength"/> the stream is trimmed to about that many entries.</summary>
    public async Task<string> StreamAddAsync(string key, IEnumerable<KeyValuePair<string, string>> fields, long? maxLength = null, CancellationToken cancellationToken = default)
    {
        var command = new RedisCommand("XADD").Add(key);
        if (maxLength is { } max)
        {
            command.Add("MAXLEN").Add("~").Add(max);
        }

        command.Add("*");
        foreach (var (field, value) in fields)
        {
            command.Add(field).Add(value);
        }

        return (await ExecuteAsync(command, cancellationToken)).AsString()!;
    }

    /// <summary>XGROUP CREATE ... MKSTREAM; false when the group already exists.</summary>
    public async Task<bool> StreamCreateGroupAsync(string key, string group, string startId = "0", CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync(new RedisCommand("XGROUP").Sub("CREATE").Add(key).Add(group).Add(startId).Add("MKSTREAM"), cancellationToken);
            return true;
        }
        catch (RedisServerException ex) when (ex.Kind == "BUSYGROUP")
        {
            return false;
        }
    }

    /// <summary>XREADGROUP. <paramref name="id"/> "&gt;" reads new entries; "0" re-reads this consumer's pending ones.
    /// With <paramref name="block"/> it waits that long for entries: use a dedicated connection for that.</summary>
    public async Task<IReadOnlyList<StreamEntry>> StreamReadGroupAsync(
        string key, string group, string consumer, int count, string id = ">", TimeSpan? block = null, CancellationToken cancellationToken = default)
    {
        var command = new RedisCommand("XREADGROUP") { Timeout = block is { } b ? Options.CommandTimeout + b : null }.Add("GROUP").Add(group).Add(consumer).Add("COUNT").Add(count);
        if (block is { } wait)
        {
            command.Add("BLOCK").Add(Milliseconds(wait));
        }

        command.Add("STREAMS").Add(key).Add(id);
        var reply = await ExecuteAsync(command, cancellationToken);
        if (reply.IsNull || reply.Items.Count < 2)
        {
            return [];
        }

        // RESP3: a map of stream name to entries; RESP2 shape: [[name, entries]]. One stream was asked for.
        var entries = reply.Type == RespType.Map ? reply.Items[1] : reply.Items[0].Items[1];
        return Entries(entries);
    }

    public async Task<long> StreamAcknowledgeAsync(string key, string group, string id, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("XACK").Add(key).Add(group).Add(id), cancellationToken)).Integer;

    /// <summary>XACK of many entries in one command; returns how many were pending.</summary>
    public async Task<long> StreamAcknowledgeAsync(string key, string group, IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var command = new RedisCommand("XACK").Add(key).Add(group);
        foreach (var id in ids)
        {
            command.Add(id);
        }

        return (await ExecuteAsync(command, cancellationToken)).Integer;
    }

    /// <summary>XAUTOCLAIM: takes over entries pending longer than <paramref name="minIdle"/> (their consumer died).</summary>
    public async Task<StreamAutoClaimResult> StreamAutoClaimAsync(
        string key, string group, string consumer, TimeSpan minIdle, string startId = "0-0", int count = 100, CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync(
            new RedisCommand("XAUTOCLAIM").Add(key).Add(group).Add(consumer).Add(Milliseconds(minIdle)).Add(startId).Add("COUNT").Add(count),
            cancellationToken);
        var deleted = reply.Items.Count > 2 ? reply.Items[2].Items.Select(i => i.AsString()!).ToList() : [];
        return new StreamAutoClaimResult(reply.Items[0].AsString()!, Entries(reply.Items[1]), deleted);
    }

    /// <summary>XCLAIM: takes over the given entries if each is still pending and idle at least <paramref name="minIdle"/>
    /// (atomically, so two consumers never both claim one); answers the entries claimed.</summary>
    public async Task<IReadOnlyList<StreamEntry>> StreamClaimAsync(
        string key, string group, string consumer, TimeSpan minIdle, IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var command = new RedisCommand("XCLAIM").Add(key).Add(group).Add(consumer).Add(Milliseconds(minIdle));
        foreach (var id in ids)
        {
            command.Add(id);
        }

        // Entries deleted while pending come back as nil (Redis 6) or not at all (Redis 7+).
        var reply = await ExecuteAsync(command, cancellationToken);
        return reply.IsNull ? [] : Entries(RespValue.Array([.. reply.Items.Where(e => !e.IsNull && !e.Items[1].IsNull)]));
    }

    /// <summary>XPENDING's extended form: the group's pending entries, optionally only one consumer's.</summary>
    public async Task<IReadOnlyList<StreamPendingEntry>> StreamPendingAsync(
        string key, string group, int count = 100, string? consumer = null, CancellationToken cancellationToken = default)
    {
        var command = new RedisCommand("XPENDING").Add(key).Add(group).Add("-").Add("+").Add(count);
        if (consumer is not null)
        {
            command.Add(consumer);
        }

        var reply = await ExecuteAsync(command, cancellationToken);
        return reply.Items
            .Select(e => new StreamPendingEntry(e.Items[0].AsString()!, e.Items[1].AsString()!, TimeSpan.FromMilliseconds(e.Items[2].AsInt64()), e.Items[3].AsInt64()))
            .ToList();
    }

    public async Task<IReadOnlyList<StreamEntry>> StreamRangeAsync(
        string key, string start = "-", string end = "+", int? count = null, CancellationToken cancellationToken = default)
    {
        var command = new RedisCommand("XRANGE").Add(key).Add(start).Add(end);
        if (count is { } limit)
        {
            command.Add("COUNT").Add(limit);
        }

        return Entries(await ExecuteAsync(command, cancellationToken));
    }

    /// <summary>XTRIM MAXLEN; returns how many entries were removed.</summary>
    public async Task<long> StreamTrimAsync(string key, long maxLength, bool approximate = true, CancellationToken cancellationToken = default)
    {
        var command = new RedisCommand("XTRIM").Add(key).Add("MAXLEN");
        if (approximate)
        {
            command.Add("~");
        }

        return (await ExecuteAsync(command.Add(maxLength), cancellationToken)).Integer;
    }

    public async Task<long> StreamLengthAsync(string key, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("XLEN").Add(key), cancellationToken)).Integer;

    public async Task<long> StreamDeleteAsync(string key, string id, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("XDEL").Add(key).Add(id), cancellationToken)).Integer;

    public async Task<IReadOnlyList<StreamGroupInfo>> StreamGroupsAsync(string key, CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync(new RedisCommand("XINFO").Sub("GROUPS").Add(key), cancellationToken);
        return reply.Items.Select(group =>
        {
            var fields = Fields(group);
            return new StreamGroupInfo(
                fields["name"].AsString()!,
                fields["consumers"].AsInt64(),
                fields["pending"].AsInt64(),
                fields["last-delivered-id"].AsString()!,
                fields.TryGetValue("lag", out var lag) && !lag.IsNull ? lag.AsInt64() : null);
        }).ToList();
    }

    public async Task<IReadOnlyList<StreamConsumerInfo>> StreamConsumersAsync(string key, string group, CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync(new RedisCommand("XINFO").Sub("CONSUMERS").Add(key).Add(group), cancellationToken);
        return reply.Items.Select(consumer =>
        {
            var fields = Fields(consumer);
            return new StreamConsumerInfo(
                fields["name"].AsString()!,
                fields["pending"].AsInt64(),
                TimeSpan.FromMilliseconds(fields["idle"].AsInt64()));
        }).ToList();
    }

    /// <summary>XGROUP DELCONSUMER; returns how many pending entries the consumer still had (they are dropped from
    /// the group's pending list, so only remove consumers with none).</summary>
    public async Task<long> StreamDeleteConsumerAsync(string key, string group, string consumer, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(new RedisCommand("XGROUP").Sub("DELCONSUMER").Add(key).Add(group).Add(consumer), cancellationToken)).Integer;

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void OnPush(RespValue push)
    {
        // ["message", channel, payload]
        if (push.Items.Count == 3 && push.Items[0].AsString() == "message" &&
            _subscriptions.TryGetValue(push.Items[1].AsString()!, out var handlers))
        {
            var payload = push.Items[2].AsString() ?? string.Empty;
            foreach (var subscription in handlers.Keys)
            {
                subscription.Post(payload);
            }
        }
    }

    private async Task ResubscribeAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in _subscriptions.Keys)
        {
            await ExecuteAsync(new RedisCommand("SUBSCRIBE") { ConfirmedByPush = true }.Add(channel), cancellationToken);
        }
    }

    private static RedisCommand ScriptCommand(string name, string scriptOrSha, IReadOnlyList<string> keys, IReadOnlyList<ReadOnlyMemory<byte>> arguments)
    {
        var command = new RedisCommand(name).Add(scriptOrSha).Add(keys.Count);
        foreach (var key in keys)
        {
            command.Add(key);
        }

        foreach (var argument in arguments)
        {
            command.Add(argument);
        }

        return command;
    }

    private static List<StreamEntry> Entries(RespValue reply) =>
        reply.IsNull
            ? []
            : reply.Items
                .Select(entry => new StreamEntry(entry.Items[0].AsString()!, entry.Items[1].IsNull ? new Dictionary<string, string>() : Pairs(entry.Items[1])))
                .ToList();

    private static Dictionary<string, string> Pairs(RespValue flat)
    {
        var result = new Dictionary<string, string>(flat.Items.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Items.Count; i += 2)
        {
            result[flat.Items[i].AsString()!] = flat.Items[i + 1].AsString() ?? string.Empty;
        }

        return result;
    }

    private static Dictionary<string, RespValue> Fields(RespValue flat)
    {
        var result = new Dictionary<string, RespValue>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Items.Count; i += 2)
        {
            result[flat.Items[i].AsString()!] = flat.Items[i + 1];
        }

        return result;
    }

    private static long Milliseconds(TimeSpan value) => (long)Math.Ceiling(value.TotalMilliseconds);
}

using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis;

/// <summary>
/// <see cref="IDistributedCache"/> in Redis: each entry is a hash (data, absolute and sliding expiry) whose key
/// expires at the earlier of the two; reads renew a sliding expiry. Setting and read-and-renew are Lua scripts, so
/// each is one atomic step on the server.
/// </summary>
public sealed class RedisDistributedCache(RedisClient redis, TimeProvider? timeProvider = null) : IDistributedCache
{
    public const string KeyPrefix = "cache:";

    private const string Refresh = """
        local function refresh(key, absolute, sliding, now)
          local sld = tonumber(sliding)
          if sld and sld > 0 then
            local ttl = sld
            local abs = tonumber(absolute)
            if abs and abs > 0 and abs - now < ttl then ttl = abs - now end
            if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
          end
        end
        """;

    // KEYS[1] key; ARGV: absolute (unix ms or -1), sliding (ms or -1), first TTL (ms or -1), data.
    private static readonly RedisScript SetScript = new("""
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'absexp', ARGV[1], 'sldexp', ARGV[2], 'data', ARGV[4])
        if ARGV[3] ~= '-1' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
        return 1
        """);

    // KEYS[1] key; ARGV: now (unix ms), '1' to return the data. Missing entries answer nil.
    private static readonly RedisScript GetAndRefreshScript = new(Refresh + """

        local v = redis.call('HMGET', KEYS[1], 'absexp', 'sldexp', 'data')
        if not v[3] then return nil end
        refresh(KEYS[1], v[1], v[2], tonumber(ARGV[1]))
        if ARGV[2] == '1' then return v[3] end
        return 1
        """);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var reply = await redis.EvaluateAsync(GetAndRefreshScript, [KeyPrefix + key], [Now(), "1"], token);
        return reply.IsNull || reply.Type == RespType.Boolean ? null : reply.Bytes.ToArray();
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (now + options.AbsoluteExpirationRelativeToNow);
        if (absolute <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration must be in the future.");
        }

        var sliding = options.SlidingExpiration;
        TimeSpan? firstTtl = (absolute - now, sliding) switch
        {
            ({ } untilAbsolute, { } slide) => untilAbsolute < slide ? untilAbsolute : slide,
            ({ } untilAbsolute, null) => untilAbsolute,
            (null, { } slide) => slide,
            _ => null,
        };

        await redis.EvaluateAsync(
            SetScript,
            [KeyPrefix + key],
            [
                Bytes(absolute is { } a ? a.ToUnixTimeMilliseconds() : -1),
                Bytes(sliding is { } s ? (long)s.TotalMilliseconds : -1),
                Bytes(firstTtl is { } t ? Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds)) : -1),
                value,
            ],
            token);
    }

    void IDistributedCache.Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default) =>
        await redis.EvaluateAsync(GetAndRefreshScript, [KeyPrefix + key], [Now(), "0"], token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default) => await redis.DeleteAsync(KeyPrefix + key, token);

    private string Now() => _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static ReadOnlyMemory<byte> Bytes(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}

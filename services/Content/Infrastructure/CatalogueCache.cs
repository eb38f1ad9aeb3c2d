using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PracticePlatform.Redis;

namespace PracticePlatform.Content.Infrastructure;

/// <summary>The "Content:CatalogueCache" section.</summary>
public sealed class CatalogueCacheOptions
{
    public const string SectionName = "Content:CatalogueCache";

    /// <summary>Off only to measure the uncached path (the load benchmark does).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long an entry lives at most. Publishing invalidates at once; ratings show within this time.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Every key starts with it; services sharing one Redis (tests, several platforms) keep apart by it.</summary>
    public string KeyPrefix { get; set; } = "content:catalogue";
}

/// <summary>
/// Catalogue reads (the listing, search, published scenarios) cached in Redis as the JSON answer. Every key carries
/// the catalogue's generation, and <see cref="InvalidateAsync"/> (run when a ScenarioPublished event arrives, on any
/// replica) moves the generation on, so every earlier entry is orphaned at once and expires by itself; nothing has to
/// find and delete keys. A read is one round trip: a script returns the generation and the entry together. Redis
/// being unavailable only costs speed: the read goes to PostgreSQL.
/// </summary>
public sealed partial class CatalogueCache(
    RedisClient redis,
    IOptions<CatalogueCacheOptions> options,
    ILogger<CatalogueCache> logger,
    IMeterFactory meterFactory)
{
    private string GenerationKey => $"{options.Value.KeyPrefix}:generation";

    private string EntryPrefix => $"{options.Value.KeyPrefix}:";

    private static readonly RedisScript ReadScript = new("""
        local generation = redis.call('GET', KEYS[1]) or '0'
        return { generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2]) }
        """);

    private readonly Counter<long> _lookups = meterFactory.Create("PracticePlatform.Content")
        .CreateCounter<long>("content.catalogue.cache.lookups", description: "Catalogue cache lookups, by result (hit, miss, error).");

    public bool Enabled => options.Value.Enabled;

    /// <summary>The cached answer for <paramref name="key"/>, or <paramref name="factory"/>'s, stored for the next
    /// reader of the same generation.</summary>
    public async Task<T?> GetOrCreateAsync<T>(string key, Func<CancellationToken, Task<T>> factory, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var bytes = await GetOrCreateJsonAsync(key, factory, json, cancellationToken);
        return JsonSerializer.Deserialize<T>(bytes.Span, json);
    }

    /// <summary>As <see cref="GetOrCreateAsync{T}"/>, but the answer stays the JSON it is stored as: a hit is sent
    /// to the client as it came from Redis, without being parsed and written again.</summary>
    public async Task<ReadOnlyMemory<byte>> GetOrCreateJsonAsync<T>(string key, Func<CancellationToken, Task<T>> factory, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!Enabled)
        {
            return JsonSerializer.SerializeToUtf8Bytes(await factory(cancellationToken), json);
        }

        string? generation = null;
        try
        {
            var reply = await redis.EvaluateAsync(ReadScript, [GenerationKey], [EntryPrefix, key], cancellationToken);
            generation = reply.Items[0].AsString() ?? "0";
            if (reply.Items.Count > 1 && !reply.Items[1].IsNull)
            {
                _lookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
                return reply.Items[1].Bytes;
            }

            _lookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _lookups.Add(1, new KeyValuePair<string, object?>("result", "error"));
            LogUnavailable(logger, ex);
        }

        var value = JsonSerializer.SerializeToUtf8Bytes(await factory(cancellationToken), json);
        if (generation is not null)
        {
            try
            {
                await redis.SetAsync($"{EntryPrefix}{generation}:{key}", value, options.Value.TimeToLive, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogUnavailable(logger, ex);
            }
        }

        return value;
    }

    /// <summary>Orphans every cached entry; returns the new generation.</summary>
    public Task<long> InvalidateAsync(CancellationToken cancellationToken) => redis.IncrementAsync(GenerationKey, cancellationToken: cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The catalogue cache is unavailable; reading from the database")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}

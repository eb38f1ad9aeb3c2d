using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using PracticePlatform.Billing.Model;
using PracticePlatform.Redis;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>
/// Entitlement answers cached in Redis, one key per user. Each key carries three generations: the whole cache's (plan
/// changes), the user's institution's (its subscription and seats) and the user's own (their subscription, seat and
/// sessions started). Invalidating moves a generation on, which orphans every answer built on the old one at once;
/// orphans expire by themselves. A read is one round trip. An answer also carries the moment it stops being true
/// (the month or period ending, a grace period running out), checked against the service's clock. Redis being
/// unavailable only costs speed.
/// </summary>
public sealed partial class EntitlementCache(
    RedisClient redis,
    IOptions<BillingOptions> options,
    CommitCallbacks commitCallbacks,
    TimeProvider time,
    ILogger<EntitlementCache> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly RedisScript ReadScript = new("""
        local key = ARGV[1] .. (redis.call('GET', KEYS[1]) or '0') .. ':' .. (redis.call('GET', KEYS[2]) or '0') .. ':' .. (redis.call('GET', KEYS[3]) or '0')
        return { key, redis.call('GET', key) }
        """);

    private string Prefix => options.Value.CacheKeyPrefix;

    private string GlobalGeneration => $"{Prefix}:generation";

    private string InstitutionGeneration(Guid? institutionId) => $"{Prefix}:institution:{institutionId?.ToString() ?? "none"}:generation";

    private string UserGeneration(Guid userId) => $"{Prefix}:user:{userId}:generation";

    /// <summary>The cached answer for the user, or <paramref name="compute"/>'s, stored for the next request.</summary>
    public async Task<EntitlementAnswer> GetOrComputeAsync(
        Guid userId, Guid? institutionId, Func<CancellationToken, Task<EntitlementAnswer>> compute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compute);
        string? key = null;
        try
        {
            var reply = await redis.EvaluateAsync(
                ReadScript,
                [GlobalGeneration, InstitutionGeneration(institutionId), UserGeneration(userId)],
                [$"{Prefix}:user:{userId}:answer:"],
                cancellationToken);
            key = reply.Items[0].AsString();
            if (reply.Items.Count > 1 && !reply.Items[1].IsNull &&
                JsonSerializer.Deserialize<EntitlementAnswer>(reply.Items[1].Bytes.Span, Json) is { } cached &&
                cached.ValidUntil > time.GetUtcNow())
            {
                return cached;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            LogUnavailable(logger, ex);
        }

        var answer = await compute(cancellationToken);
        var lifetime = answer.ValidUntil - time.GetUtcNow();
        if (key is not null && lifetime > TimeSpan.Zero)
        {
            try
            {
                var ttl = lifetime < options.Value.EntitlementCacheTimeToLive ? lifetime : options.Value.EntitlementCacheTimeToLive;
                await redis.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(answer, Json), ttl, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogUnavailable(logger, ex);
            }
        }

        return answer;
    }

    /// <summary>Forgets the user's answer once <paramref name="db"/>'s change commits.</summary>
    public void InvalidateUserOnCommit(BillingDbContext db, Guid userId) =>
        commitCallbacks.OnCommit(db, token => redis.IncrementAsync(UserGeneration(userId), cancellationToken: token));

    /// <summary>Forgets the answers of everyone in the institution once <paramref name="db"/>'s change commits.</summary>
    public void InvalidateInstitutionOnCommit(BillingDbContext db, Guid institutionId) =>
        commitCallbacks.OnCommit(db, token => redis.IncrementAsync(InstitutionGeneration(institutionId), cancellationToken: token));

    /// <summary>Forgets every answer once <paramref name="db"/>'s change commits (a plan's allowance changed).</summary>
    public void InvalidateAllOnCommit(BillingDbContext db) =>
        commitCallbacks.OnCommit(db, token => redis.IncrementAsync(GlobalGeneration, cancellationToken: token));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The entitlement cache is unavailable; computing from the database")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}

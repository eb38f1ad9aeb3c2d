using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PracticePlatform.Redis;

/// <summary>Readiness: Redis answers PING within two seconds.</summary>
public sealed class RedisHealthCheck(RedisClient redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var latency = await redis.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is RedisException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Redis at {redis.Options} is not answering: {ex.Message}");
        }
    }
}

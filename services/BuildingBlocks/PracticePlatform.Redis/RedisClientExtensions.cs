using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PracticePlatform.Redis;

/// <summary>Settings named after Aspire's Redis client integration (<c>Aspire:StackExchange:Redis</c>).</summary>
public sealed class RedisClientSettings
{
    public const string SectionName = "Aspire:StackExchange:Redis";

    public bool DisableHealthChecks { get; set; }
}

public static class RedisClientExtensions
{
    /// <summary>
    /// Registers a shared <see cref="RedisClient"/> for the Redis the configuration contract names
    /// (<c>ConnectionStrings:&lt;connectionName&gt;</c>, e.g. <c>localhost:6379,password=...</c>) and its readiness
    /// check, like Aspire's <c>AddRedisClient</c>. Commands are traced through the "PracticePlatform.Redis" source.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = new RedisClientSettings();
        builder.Configuration.GetSection(RedisClientSettings.SectionName).Bind(settings);

        builder.Services.AddSingleton(services =>
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(connectionName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{connectionName} is not configured (environment variable ConnectionStrings__{connectionName}). " +
                    "Start the platform with ./run.sh or the AppHost, which provide it.");
            }

            var options = RedisOptions.Parse(connectionString);
            var name = services.GetRequiredService<IHostEnvironment>().ApplicationName;
            return new RedisClient(options with { ClientName = options.ClientName ?? name }, services.GetService<ILoggerFactory>());
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, HealthStatus.Unhealthy, ["ready"]);
        }

        return builder;
    }

    /// <summary><see cref="AddRedisClient"/> plus an <see cref="IDistributedCache"/> stored in that Redis.</summary>
    public static IHostApplicationBuilder AddRedisDistributedCache(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddRedisClient(connectionName);
        builder.Services.AddSingleton<IDistributedCache, RedisDistributedCache>();
        return builder;
    }
}

using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace PracticePlatform.ServiceDefaults.Data;

/// <summary>Settings named after Aspire's Npgsql EF Core client integration
/// (<c>Aspire:Npgsql:EntityFrameworkCore:PostgreSQL</c>), so switching to the real package later is a small change.</summary>
public sealed class NpgsqlEntityFrameworkCoreSettings
{
    public const string SectionName = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    public bool DisableHealthChecks { get; set; }

    public bool DisableRetry { get; set; }

    public int? CommandTimeout { get; set; }
}

public static class NpgsqlDbContextExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> against the PostgreSQL database the configuration contract names
    /// (<c>ConnectionStrings:&lt;connectionName&gt;</c>), with a readiness health check. Like Aspire's
    /// <c>AddNpgsqlDbContext</c>; the connection string is read when the context is first created, so tests can
    /// supply it through any configuration source.
    /// </summary>
    public static void AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null)
        where TContext : DbContext
    {
        var settings = new NpgsqlEntityFrameworkCoreSettings();
        builder.Configuration.GetSection(NpgsqlEntityFrameworkCoreSettings.SectionName).Bind(settings);
        builder.Configuration.GetSection($"{NpgsqlEntityFrameworkCoreSettings.SectionName}:{typeof(TContext).Name}").Bind(settings);

        builder.Services.AddDbContextPool<TContext>((services, options) =>
        {
            var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(connectionName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{connectionName} is not configured (environment variable ConnectionStrings__{connectionName}). " +
                    "Start the platform with ./run.sh or the AppHost, which provide it.");
            }

            options.UseNpgsql(connectionString, npgsql =>
            {
                if (!settings.DisableRetry)
                {
                    npgsql.EnableRetryOnFailure();
                }

                if (settings.CommandTimeout is { } timeout)
                {
                    npgsql.CommandTimeout(timeout);
                }

                configureNpgsql?.Invoke(npgsql);
            });
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(name: connectionName, tags: ["ready"]);
        }
    }

    /// <summary>Applies pending migrations (and then seeds) before the service starts listening. Each replica may run
    /// it: EF Core takes a database lock while migrating.</summary>
    public static IServiceCollection AddMigration<TContext>(
        this IServiceCollection services,
        Func<TContext, IServiceProvider, CancellationToken, Task>? seed = null)
        where TContext : DbContext
    {
        services.AddHostedService(sp => new MigrationHostedService<TContext>(sp, seed));
        return services;
    }
}

internal sealed partial class MigrationHostedService<TContext>(
    IServiceProvider services,
    Func<TContext, IServiceProvider, CancellationToken, Task>? seed) : IHostedService
    where TContext : DbContext
{
    private static readonly ActivitySource Source = new("PracticePlatform.Migrations");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity($"migrate {typeof(TContext).Name}");
        await using var scope = services.CreateAsyncScope();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<MigrationHostedService<TContext>>>();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Creates the database when it does not exist yet, then applies whatever is pending (usually nothing).
            await context.Database.MigrateAsync(cancellationToken);

            if (seed is not null)
            {
                var strategy = context.Database.CreateExecutionStrategy();
                await strategy.ExecuteAsync(() => seed(context, scope.ServiceProvider, cancellationToken));
            }

            LogReady(logger, typeof(TContext).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogFailed(logger, ex, typeof(TContext).Name);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context} database ready in {ElapsedMs:F0} ms")]
    private static partial void LogReady(ILogger logger, string context, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not migrate the {Context} database; the service cannot start")]
    private static partial void LogFailed(ILogger logger, Exception exception, string context);
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PracticePlatform.Redis;
using PracticePlatform.ServiceDefaults.Data;

namespace PracticePlatform.EventBus.EntityFrameworkCore.Tests;

/// <summary>A service host wired as a service wires itself: AddNpgsqlDbContext and the one-call AddEventBus of
/// the outbox package, against the fixtures' PostgreSQL and Redis, with the test's own stream prefix.</summary>
public sealed class WardHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private WardHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public HandlerProbe Probe => Services.GetRequiredService<HandlerProbe>();

    public static async Task<WardHost> StartAsync(
        string postgres,
        string redis,
        string streamPrefix,
        bool subscribe = true,
        TimeSpan? claimIdleTime = null,
        TimeSpan? pollInterval = null,
        HandlerProbe? probe = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:warddb"] = postgres,
            ["ConnectionStrings:redis"] = redis,
            ["EventBus:ServiceName"] = "wards",
            ["EventBus:StreamPrefix"] = streamPrefix,
            ["EventBus:RetryDelay"] = "00:00:00.050",
            ["EventBus:BlockTime"] = "00:00:00.500",
            ["EventBus:ClaimIdleTime"] = (claimIdleTime ?? TimeSpan.FromSeconds(30)).ToString("c", CultureInfo.InvariantCulture),
            ["EventBus:Outbox:PollInterval"] = (pollInterval ?? TimeSpan.FromMilliseconds(200)).ToString("c", CultureInfo.InvariantCulture),
            ["EventBus:Outbox:MaxRetryDelay"] = "00:00:00.500",
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(probe ?? new HandlerProbe());

        builder.AddNpgsqlDbContext<WardDbContext>("warddb");
        var eventBus = builder.AddEventBus<WardDbContext>();
        if (subscribe)
        {
            eventBus.AddSubscription<PatientAdmitted, BedAssignmentHandler>();
        }

        var host = builder.Build();
        await host.StartAsync();
        return new WardHost(host);
    }

    /// <summary>What an endpoint does: the state change and its event, saved together.</summary>
    public async Task<PatientAdmitted> AdmitAsync(string ward)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WardDbContext>();
        var admission = new Admission { Ward = ward };
        var admitted = new PatientAdmitted(admission.Id, ward);
        db.Admissions.Add(admission);
        scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(admitted);
        await db.SaveChangesAsync();
        return admitted;
    }

    public async Task<T> QueryAsync<T>(Func<WardDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<WardDbContext>());
    }

    /// <summary>The bed assignments made for an event, once there is at least one: the probe hears of a handled
    /// event before the inbox transaction around the handler commits.</summary>
    public async Task<int> AssignmentsForAsync(Guid eventId)
    {
        var count = 0;
        await OutboxTests.WaitUntilAsync(async () =>
            (count = await QueryAsync(db => db.BedAssignments.CountAsync(b => b.EventId == eventId))) > 0);
        return count;
    }

    public RedisClient Redis => Services.GetRequiredService<RedisClient>();

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PracticePlatform.EventBus.Tests;

/// <summary>A service host as a service would build it: AddEventBus against the fixture's Redis, with the test's own
/// stream prefix so tests never see each other's events.</summary>
public sealed class EventBusHost : IAsyncDisposable
{
    private EventBusHost(IHost host, HandlerLog log)
    {
        Host = host;
        Log = log;
    }

    public IHost Host { get; }

    public HandlerLog Log { get; }

    public IServiceProvider Services => Host.Services;

    public IEventBus Bus => Services.GetRequiredService<IEventBus>();

    public static async Task<EventBusHost> StartAsync(
        string redis,
        string streamPrefix,
        string serviceName,
        bool subscribe = true,
        int maxDeliveryAttempts = 5,
        TimeSpan? retryDelay = null,
        TimeSpan? claimIdleTime = null,
        TimeSpan? staleConsumerTime = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["EventBus:ServiceName"] = serviceName,
            ["EventBus:StreamPrefix"] = streamPrefix,
            ["EventBus:MaxDeliveryAttempts"] = maxDeliveryAttempts.ToString(CultureInfo.InvariantCulture),
            ["EventBus:RetryDelay"] = (retryDelay ?? TimeSpan.FromMilliseconds(50)).ToString("c", CultureInfo.InvariantCulture),
            ["EventBus:ClaimIdleTime"] = (claimIdleTime ?? TimeSpan.FromSeconds(30)).ToString("c", CultureInfo.InvariantCulture),
            ["EventBus:BlockTime"] = "00:00:00.500",
            ["EventBus:StaleConsumerTime"] = (staleConsumerTime ?? TimeSpan.FromHours(1)).ToString("c", CultureInfo.InvariantCulture),
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var log = new HandlerLog();
        builder.Services.AddSingleton(log);
        var eventBus = builder.AddEventBus();
        if (subscribe)
        {
            eventBus.AddSubscription<OrderPlaced, OrderPlacedHandler>();
        }

        var host = builder.Build();
        await host.StartAsync();
        return new EventBusHost(host, log);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

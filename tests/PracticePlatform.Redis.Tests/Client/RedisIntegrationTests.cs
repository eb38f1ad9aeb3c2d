using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.Redis.Tests.Client;

/// <summary>What a service registers with AddRedisDistributedCache("redis"): the client, its health check and the cache.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisIntegrationTests(RedisFixture redis) : IAsyncLifetime
{
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = redis.ConnectionString });
        builder.AddRedisDistributedCache("redis");
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task The_health_check_reports_Healthy_with_the_ping_time()
    {
        var report = await _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["redis"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["redis"].Description.Should().StartWith("PING");
    }

    [Fact]
    public async Task The_health_check_reports_Unhealthy_when_Redis_is_unreachable()
    {
        await using var nowhere = new RedisClient(new RedisOptions { Host = "127.0.0.1", Port = Ports.GetFree() });

        var result = await new RedisHealthCheck(nowhere).CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("not answering");
    }

    [Fact]
    public async Task The_distributed_cache_stores_reads_and_removes_entries()
    {
        var cache = _host.Services.GetRequiredService<IDistributedCache>();
        var key = Guid.NewGuid().ToString();
        byte[] value = [1, 2, 0, 13, 10, 255];

        await cache.SetAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
        (await cache.GetAsync(key)).Should().Equal(value);
        await cache.SetStringAsync(key, "replaced");
        (await cache.GetStringAsync(key)).Should().Be("replaced");
        await cache.RemoveAsync(key);

        (await cache.GetAsync(key)).Should().BeNull();
    }

    [Fact]
    public async Task An_absolute_expiry_ends_the_entry()
    {
        var cache = _host.Services.GetRequiredService<IDistributedCache>();
        var key = Guid.NewGuid().ToString();

        await cache.SetStringAsync(key, "brief", new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(150) });
        (await cache.GetStringAsync(key)).Should().Be("brief");
        await Task.Delay(400);

        (await cache.GetStringAsync(key)).Should().BeNull();
    }

    [Fact]
    public async Task Reading_renews_a_sliding_expiry_but_never_past_the_absolute_one()
    {
        var cache = _host.Services.GetRequiredService<IDistributedCache>();
        var client = _host.Services.GetRequiredService<RedisClient>();
        var key = Guid.NewGuid().ToString();
        await cache.SetAsync(key, Encoding.UTF8.GetBytes("x"), new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(10),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30),
        });
        await client.ExpireAsync(RedisDistributedCache.KeyPrefix + key, TimeSpan.FromSeconds(2));

        await cache.GetAsync(key);
        var renewed = await client.TimeToLiveAsync(RedisDistributedCache.KeyPrefix + key);
        await cache.SetAsync(key, Encoding.UTF8.GetBytes("x"), new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(60),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(5),
        });
        await cache.RefreshAsync(key);
        var capped = await client.TimeToLiveAsync(RedisDistributedCache.KeyPrefix + key);

        renewed.Should().BeGreaterThan(TimeSpan.FromSeconds(8)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(10));
        capped.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_absolute_expiry_in_the_past_is_refused()
    {
        var cache = _host.Services.GetRequiredService<IDistributedCache>();

        var act = () => cache.SetStringAsync("k", "v", new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(-1) });

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.EventBus;
using PracticePlatform.Redis;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

/// <summary>A clock the test sets: period arithmetic, trials, grace periods and webhook timestamps move only when the
/// test moves it.</summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>
/// The billing service in-process on the fixture's PostgreSQL and Redis with its own database, its own event streams
/// (<c>EventBus:StreamPrefix</c>), a settable clock, the period-close job off (tests run it through the admin
/// endpoint) and a webhook provider "acme".
/// </summary>
public sealed class BillingHost : ServiceFactory<Program>
{
    public const string Provider = "acme";
    public const string WebhookSecret = "whsec_acme_test_secret_0123456789";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public BillingHost(ServersFixture servers, DateTimeOffset? now = null)
        : base(servers, "billingdb")
    {
        Clock = new SettableClock(now ?? new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        StreamPrefix = $"events-{DatabaseName}";
        Settings["EventBus:StreamPrefix"] = StreamPrefix;
        Settings["EventBus:BlockTime"] = "00:00:00.200";
        Settings["Billing:PeriodCloseJobEnabled"] = "false";
        Settings[$"Billing:Providers:{Provider}:WebhookSecret"] = WebhookSecret;
        Settings["Billing:CacheKeyPrefix"] = $"billing-{DatabaseName}:entitlement";
    }

    public SettableClock Clock { get; }

    public string StreamPrefix { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public async Task StartAsync()
    {
        using var client = CreateClient();
        (await client.GetAsync("/alive")).EnsureSuccessStatusCode();
    }

    public Task PublishAsync(IntegrationEvent @event) => Services.GetRequiredService<IEventBus>().PublishAsync(@event);

    public async Task<T> InDatabaseAsync<T>(Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    public Task InDatabaseAsync(Func<BillingDbContext, Task> work) => InDatabaseAsync(async db =>
    {
        await work(db);
        return true;
    });

    /// <summary>The payloads of <paramref name="eventType"/> this host published.</summary>
    public async Task<List<JsonElement>> PublishedAsync(string eventType)
    {
        var redis = Services.GetRequiredService<RedisClient>();
        return (await redis.StreamRangeAsync($"{StreamPrefix}:{eventType}"))
            .Select(e => JsonDocument.Parse(e.Fields["payload"]).RootElement.Clone())
            .ToList();
    }

    /// <summary>Asks until <paramref name="done"/> holds (events are handled in the background), then returns the
    /// last answer; the caller asserts on it, so a timeout fails with the answer in the message.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"the answer was {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await ReadAsync<JsonElement>(response);

    public static StringContent Body(object value) =>
        new(JsonSerializer.Serialize(value, Json), Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body = null) =>
        client.PostAsync(path, body is null ? null : Body(body));

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string path, object body) =>
        client.PatchAsync(path, Body(body));

    public Task<HttpResponseMessage> ClosePeriodAsync() =>
        PostAsync(CreateClient(TestUser.PlatformAdmin()), "/v1/billing/admin/close-period");

    /// <summary>An institution subscription (trialing) made through the API by the institution's admin.</summary>
    public async Task<JsonElement> SubscribeInstitutionAsync(Guid institutionId, int seats, string? provider = null) =>
        await JsonAsync(await PostAsync(
            CreateClient(TestUser.InstitutionAdmin(institutionId)),
            "/v1/billing/subscriptions",
            new { planCode = BillingDbSeed.InstitutionSeatCode, seats, paymentProvider = provider }));

    /// <summary>An institution subscription whose trial has ended: active, with its first invoice open.</summary>
    public async Task<Guid> ActiveInstitutionSubscriptionAsync(Guid institutionId, int seats, string? provider = null)
    {
        var subscription = await SubscribeInstitutionAsync(institutionId, seats, provider);
        Clock.Advance(TimeSpan.FromDays(14));
        (await ClosePeriodAsync()).EnsureSuccessStatusCode();
        return subscription.GetProperty("id").GetGuid();
    }
}

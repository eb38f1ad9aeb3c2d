using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Redis;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.Tests;

[Collection(RedisCollection.Name)]
public sealed class DeliveryTests(RedisFixture redis)
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_published_event_reaches_the_subscribed_handler_once_with_its_id_and_payload()
    {
        await using var service = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "sessions");
        var sent = new OrderPlaced("stethoscope", 2);

        await service.Bus.PublishAsync(sent);

        var handled = await service.Log.NextAsync();
        handled.Event.Should().Be(sent);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        service.Log.TryTakeAnother(out _).Should().BeFalse("an acknowledged event is not delivered again");
        service.Log.Attempts.Should().Be(1);
        var client = service.Services.GetRequiredService<RedisClient>();
        (await client.StreamPendingAsync($"{_prefix}:OrderPlaced", "sessions")).Should().BeEmpty();
    }

    [Fact]
    public async Task Each_subscribing_service_receives_the_event()
    {
        await using var sessions = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "sessions");
        await using var billing = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "billing");
        var sent = new OrderPlaced("otoscope", 1);

        await sessions.Bus.PublishAsync(sent);

        (await sessions.Log.NextAsync()).Event.Id.Should().Be(sent.Id);
        (await billing.Log.NextAsync()).Event.Id.Should().Be(sent.Id);
    }

    [Fact]
    public async Task An_event_published_before_the_subscriber_first_started_is_delivered()
    {
        var sent = new OrderPlaced("gloves", 100);
        await using (var publisher = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "users", subscribe: false))
        {
            await publisher.Bus.PublishAsync(sent);
        }

        await using var subscriber = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "billing");

        (await subscriber.Log.NextAsync()).Event.Should().Be(sent);
    }

    [Fact]
    public async Task The_handler_runs_in_the_publishers_trace()
    {
        using var source = new ActivitySource("PracticePlatform.EventBus.Tests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("PracticePlatform.EventBus", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var service = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "sessions");

        ActivityTraceId traceId;
        using (var request = source.StartActivity("POST /v1/orders"))
        {
            traceId = request!.TraceId;
            await service.Bus.PublishAsync(new OrderPlaced("mask", 3));
        }

        var handled = await service.Log.NextAsync();
        handled.Activity.Should().NotBeNull();
        handled.Activity!.TraceId.Should().Be(traceId);
        handled.Activity.OperationName.Should().Be("OrderPlaced process");
        handled.Activity.Kind.Should().Be(ActivityKind.Consumer);
    }

    [Fact]
    public async Task A_handler_that_fails_twice_is_retried_until_it_succeeds()
    {
        await using var service = await EventBusHost.StartAsync(
            redis.ConnectionString, _prefix, "sessions", maxDeliveryAttempts: 5, retryDelay: TimeSpan.FromMilliseconds(50));
        service.Log.Behaviour = (_, attempt, _) =>
            attempt <= 2 ? throw new InvalidOperationException($"attempt {attempt} fails") : Task.CompletedTask;
        var sent = new OrderPlaced("scalpel", 1);

        await service.Bus.PublishAsync(sent);

        (await service.Log.NextAsync()).Event.Should().Be(sent);
        service.Log.Attempts.Should().Be(3);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        service.Log.Attempts.Should().Be(3, "the successful attempt was acknowledged");
    }

    [Fact]
    public async Task An_event_left_pending_by_an_instance_that_died_is_handled_by_another_instance()
    {
        var sent = new OrderPlaced("defibrillator", 1);
        var first = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "sessions", claimIdleTime: TimeSpan.FromMilliseconds(500));
        first.Log.Behaviour = (_, _, cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
        await first.Bus.PublishAsync(sent);
        await first.Log.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await first.DisposeAsync();
        first.Log.TryTakeAnother(out _).Should().BeFalse("the first instance never finished handling it");

        await using var second = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "sessions", claimIdleTime: TimeSpan.FromMilliseconds(500));

        (await second.Log.NextAsync()).Event.Should().Be(sent);
        var client = second.Services.GetRequiredService<RedisClient>();

        // The handler has returned; the acknowledgement follows it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await client.StreamPendingAsync($"{_prefix}:OrderPlaced", "sessions")).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        (await client.StreamPendingAsync($"{_prefix}:OrderPlaced", "sessions")).Should().BeEmpty();
    }
}

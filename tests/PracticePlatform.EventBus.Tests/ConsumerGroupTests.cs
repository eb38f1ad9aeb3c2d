using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Redis;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.Tests;

[Collection(RedisCollection.Name)]
public sealed class ConsumerGroupTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}";
    private RedisClient _client = null!;

    private string Stream => $"{_prefix}:OrderPlaced";

    public Task InitializeAsync()
    {
        _client = new RedisClient(RedisOptions.Parse(redis.ConnectionString));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Consumer_names_left_by_stopped_instances_are_removed_once_they_have_nothing_pending()
    {
        await _client.StreamCreateGroupAsync(Stream, "sessions", "0");
        await _client.StreamAddAsync(Stream, [new("n", "taken by an instance that died")]);
        await _client.StreamAddAsync(Stream, [new("n", "handled by an instance that stopped")]);
        await _client.StreamReadGroupAsync(Stream, "sessions", "died-with-work", count: 1);
        var handled = await _client.StreamReadGroupAsync(Stream, "sessions", "stopped-cleanly", count: 1);
        await _client.StreamAcknowledgeAsync(Stream, "sessions", handled.Single().Id);
        (await ConsumerNamesAsync()).Should().BeEquivalentTo(["died-with-work", "stopped-cleanly"]);
        await Task.Delay(900);

        await using var service = await EventBusHost.StartAsync(
            redis.ConnectionString, _prefix, "sessions", staleConsumerTime: TimeSpan.FromMilliseconds(800));

        await WaitUntilAsync(async () => !(await ConsumerNamesAsync()).Contains("stopped-cleanly"));
        (await ConsumerNamesAsync()).Should().Contain("died-with-work", "its entry is still pending and must be taken over first");
        var sent = new OrderPlaced("after the sweep", 1);
        await service.Bus.PublishAsync(sent);
        (await service.Log.NextAsync()).Event.Should().Be(sent);
    }

    [Fact]
    public async Task The_instance_that_dead_letters_an_event_reports_the_error_another_instance_met()
    {
        var failedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "billing", retryDelay: TimeSpan.FromMinutes(1));
        first.Log.Behaviour = (_, _, _) =>
        {
            failedOnce.TrySetResult();
            throw new InvalidOperationException("ledger locked for month-end");
        };
        var sent = new OrderPlaced("infusion pump", 2);
        await first.Bus.PublishAsync(sent);
        await failedOnce.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await first.DisposeAsync();

        await using var second = await EventBusHost.StartAsync(
            redis.ConnectionString, _prefix, "billing", maxDeliveryAttempts: 1, claimIdleTime: TimeSpan.FromMilliseconds(300));
        var deadLetters = second.Services.GetRequiredService<IDeadLetterStore>();

        IReadOnlyList<DeadLetter> listed = [];
        await WaitUntilAsync(async () => (listed = await deadLetters.ListAsync("OrderPlaced", 10)).Count > 0);
        var deadLetter = listed.Should().ContainSingle().Subject;
        deadLetter.EventId.Should().Be(sent.Id);
        deadLetter.Error.Should().Be("ledger locked for month-end");
        second.Log.Attempts.Should().Be(0);
        (await _client.HashGetAsync($"{Stream}:errors:billing", deadLetter.OriginalId)).Should().BeNull("the error is forgotten once dead-lettered");
    }

    private async Task<List<string>> ConsumerNamesAsync() =>
        (await _client.StreamConsumersAsync(Stream, "sessions")).Select(c => c.Name).ToList();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should come true");
            await Task.Delay(50);
        }
    }
}

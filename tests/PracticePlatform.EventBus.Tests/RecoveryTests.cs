using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Redis;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.Tests;

[Collection(RedisCollection.Name)]
public sealed class RecoveryTests(RedisFixture redis)
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}";

    [Fact]
    public async Task Consuming_resumes_after_the_stream_and_its_group_are_deleted()
    {
        await using var service = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "sessions");
        await service.Bus.PublishAsync(new OrderPlaced("first", 1));
        await service.Log.NextAsync();
        var client = service.Services.GetRequiredService<RedisClient>();

        await client.DeleteAsync($"{_prefix}:OrderPlaced");
        var sent = new OrderPlaced("after the stream was deleted", 1);
        await service.Bus.PublishAsync(sent);

        (await service.Log.NextAsync()).Event.Should().Be(sent);
    }

    [Fact]
    public async Task Consuming_resumes_after_the_connections_to_Redis_drop()
    {
        await using var service = await EventBusHost.StartAsync(redis.ConnectionString, _prefix, "sessions");
        await service.Bus.PublishAsync(new OrderPlaced("first", 1));
        await service.Log.NextAsync();
        await using var admin = new RedisClient(RedisOptions.Parse(redis.ConnectionString));

        var killed = await admin.ExecuteAsync(new RedisCommand("CLIENT").Sub("KILL").Add("TYPE").Add("normal").Add("SKIPME").Add("yes"));
        killed.Integer.Should().BeGreaterThanOrEqualTo(2, "the shared connection and the consumer's blocking one were dropped");
        var sent = new OrderPlaced("after the drop", 1);
        await PublishUntilAcceptedAsync(service.Bus, sent);

        (await service.Log.NextAsync()).Event.Should().Be(sent);
    }

    // The publisher's own connection was killed too; a publish racing the reconnection may fail, as any command can.
    private static async Task PublishUntilAcceptedAsync(IEventBus bus, OrderPlaced sent)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await bus.PublishAsync(sent);
                return;
            }
            catch (RedisConnectionException) when (attempt < 10)
            {
                await Task.Delay(200);
            }
        }
    }
}

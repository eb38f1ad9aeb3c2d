using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.Tests;

[Collection(RedisCollection.Name)]
public sealed class DeadLetterTests(RedisFixture redis)
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}";

    [Fact]
    public async Task An_event_whose_handler_always_fails_is_dead_lettered_and_can_be_replayed_once_fixed()
    {
        await using var service = await EventBusHost.StartAsync(
            redis.ConnectionString, _prefix, "billing", maxDeliveryAttempts: 3, retryDelay: TimeSpan.FromMilliseconds(50));
        var fixedHandler = false;
        service.Log.Behaviour = (_, _, _) => Volatile.Read(ref fixedHandler) ? Task.CompletedTask : throw new InvalidOperationException("card declined");
        var deadLetters = service.Services.GetRequiredService<IDeadLetterStore>();
        var sent = new OrderPlaced("ventilator", 1);

        await service.Bus.PublishAsync(sent);

        var listed = await WaitForDeadLettersAsync(deadLetters);
        var deadLetter = listed.Should().ContainSingle().Subject;
        deadLetter.EventId.Should().Be(sent.Id);
        deadLetter.EventType.Should().Be("OrderPlaced");
        deadLetter.Group.Should().Be("billing");
        deadLetter.Error.Should().Be("card declined");
        deadLetter.Attempts.Should().Be(3);
        service.Log.Attempts.Should().Be(3);

        Volatile.Write(ref fixedHandler, true);
        (await deadLetters.ReplayAsync("OrderPlaced", deadLetter.Id, CancellationToken.None)).Should().BeTrue();

        var handled = await service.Log.NextAsync();
        handled.Event.Should().Be(sent);
        (await deadLetters.ListAsync("OrderPlaced", 10, CancellationToken.None)).Should().BeEmpty();
        (await deadLetters.ReplayAsync("OrderPlaced", deadLetter.Id, CancellationToken.None)).Should().BeFalse();
    }

    private static async Task<IReadOnlyList<DeadLetter>> WaitForDeadLettersAsync(IDeadLetterStore deadLetters)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var listed = await deadLetters.ListAsync("OrderPlaced", 10, CancellationToken.None);
            if (listed.Count > 0 || DateTime.UtcNow > deadline)
            {
                return listed;
            }

            await Task.Delay(100);
        }
    }
}

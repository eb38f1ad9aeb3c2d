using System.Security.Cryptography;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.Redis.Tests.Client;

/// <summary>A Redis server that goes away and comes back on the same port, with its data (append-only file).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisRestartTests : IAsyncLifetime
{
    private readonly RedisServerOptions _serverOptions = new()
    {
        Directory = TestDirectories.Create("redis-restart"),
        Port = Ports.GetFree(),
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        Persistent = true,
    };

    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync(_serverOptions);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_serverOptions.Directory, recursive: true);
    }

    private async Task RestartAsync(TimeSpan downtime)
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        await Task.Delay(downtime);
        _server = await RedisServer.StartAsync(_serverOptions);
    }

    private RedisClient NewClient() =>
        new(RedisOptions.Parse(_server.ConnectionString) with { CommandTimeout = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task After_a_restart_the_client_reconnects_by_itself_and_the_data_is_back()
    {
        await using var client = NewClient();
        await client.SetAsync("kept", "across restarts");

        await RestartAsync(TimeSpan.FromMilliseconds(300));

        (await client.GetAsync("kept")).Should().Be("across restarts");
        client.Connection.IsConnected.Should().BeTrue();
    }

    [Fact]
    public async Task A_consumer_blocked_in_a_stream_read_during_a_restart_reconnects_and_continues()
    {
        await using var producer = NewClient();
        await using var reader = NewClient();
        const string stream = "events:restart";
        await producer.StreamCreateGroupAsync(stream, "g");
        var before = await producer.StreamAddAsync(stream, [new("n", "before")]);
        var received = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failures = 0;

        // The consumer loop a service runs: read, acknowledge, and on a dropped connection simply read again.
        var consumer = Task.Run(async () =>
        {
            while (received.Count < 3 && !stop.IsCancellationRequested)
            {
                try
                {
                    foreach (var entry in await reader.StreamReadGroupAsync(stream, "g", "c1", 10, block: TimeSpan.FromSeconds(2), cancellationToken: stop.Token))
                    {
                        received.Add(entry.Fields["n"]);
                        await reader.StreamAcknowledgeAsync(stream, "g", entry.Id, stop.Token);
                    }
                }
                catch (RedisConnectionException)
                {
                    failures++;
                }
            }
        });

        while (received.Count < 1)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200); // the consumer is now blocked in XREADGROUP
        await RestartAsync(TimeSpan.FromMilliseconds(500));
        await producer.StreamAddAsync(stream, [new("n", "after-1")]);
        await producer.StreamAddAsync(stream, [new("n", "after-2")]);
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));

        before.Should().NotBeNullOrEmpty();
        received.Should().Equal("before", "after-1", "after-2");
        failures.Should().BeGreaterThan(0, "the read in progress saw the connection drop");
        (await producer.StreamPendingAsync(stream, "g")).Should().BeEmpty("everything was acknowledged once");
    }

    [Fact]
    public async Task Subscriptions_are_renewed_after_a_restart()
    {
        await using var client = NewClient();
        await using var publisher = NewClient();
        var received = new List<string>();
        await using var subscription = await client.SubscribeAsync("news", (m, _) =>
        {
            lock (received)
            {
                received.Add(m);
            }

            return Task.CompletedTask;
        });

        await RestartAsync(TimeSpan.FromMilliseconds(200));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await publisher.PublishAsync("news", "hello again") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        while (DateTime.UtcNow < deadline)
        {
            lock (received)
            {
                if (received.Count > 0)
                {
                    break;
                }
            }

            await Task.Delay(20);
        }

        received.Should().Contain("hello again");
    }
}

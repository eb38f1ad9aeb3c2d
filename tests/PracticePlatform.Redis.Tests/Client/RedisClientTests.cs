using System.Diagnostics;
using PracticePlatform.Redis.Protocol;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.Redis.Tests.Client;

/// <summary>The client against a real redis-server (password on, TLS off).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisClientTests(RedisFixture redis) : IAsyncLifetime
{
    private RedisClient _client = null!;
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";

    public Task InitializeAsync()
    {
        _client = new RedisClient(RedisOptions.Parse(redis.ConnectionString));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private string Key(string name) => _prefix + name;

    [Fact]
    public async Task Strings_are_set_read_and_expire()
    {
        (await _client.SetAsync(Key("a"), "hello", TimeSpan.FromMinutes(1))).Should().BeTrue();
        (await _client.SetAsync(Key("short"), "gone soon", TimeSpan.FromMilliseconds(50))).Should().BeTrue();

        (await _client.GetAsync(Key("a"))).Should().Be("hello");
        (await _client.TimeToLiveAsync(Key("a"))).Should().BeGreaterThan(TimeSpan.FromSeconds(50));
        await Task.Delay(200);
        (await _client.GetAsync(Key("short"))).Should().BeNull();
        (await _client.GetAsync(Key("never-set"))).Should().BeNull();
    }

    [Fact]
    public async Task Set_if_absent_only_sets_once_and_values_are_binary_safe()
    {
        byte[] binary = [0, 13, 10, 255, 42];

        (await _client.SetAsync(Key("lock"), "first", onlyIfAbsent: true)).Should().BeTrue();
        (await _client.SetAsync(Key("lock"), "second", onlyIfAbsent: true)).Should().BeFalse();
        await _client.SetAsync(Key("bin"), binary);

        (await _client.GetAsync(Key("lock"))).Should().Be("first");
        (await _client.GetBytesAsync(Key("bin"))).Should().Equal(binary);
    }

    [Fact]
    public async Task Exists_and_delete_report_whether_the_key_was_there()
    {
        await _client.SetAsync(Key("present"), "x");

        (await _client.ExistsAsync(Key("present"))).Should().BeTrue();
        (await _client.ExistsAsync(Key("absent"))).Should().BeFalse();
        (await _client.DeleteAsync(Key("present"))).Should().Be(1);
        (await _client.DeleteAsync(Key("present"))).Should().Be(0);
        (await _client.ExistsAsync(Key("present"))).Should().BeFalse();
    }

    [Fact]
    public async Task Many_concurrent_commands_on_one_connection_each_get_their_own_reply()
    {
        var increments = Enumerable.Range(0, 500).Select(_ => _client.IncrementAsync(Key("counter")));
        var echoes = Enumerable.Range(0, 200).Select(async i =>
        {
            await _client.SetAsync(Key($"echo:{i}"), $"value {i}");
            return (i, await _client.GetAsync(Key($"echo:{i}")));
        });

        var counts = await Task.WhenAll(increments);
        var pairs = await Task.WhenAll(echoes);

        counts.Should().OnlyHaveUniqueItems().And.HaveCount(500);
        counts.Max().Should().Be(500);
        pairs.Should().OnlyContain(p => p.Item2 == $"value {p.i}");
    }

    [Fact]
    public async Task Hashes_store_and_return_fields()
    {
        await _client.HashSetAsync(Key("h"), [new("name", "Ada"), new("role", "learner")]);
        await _client.HashDeleteAsync(Key("h"), "role");

        (await _client.HashGetAsync(Key("h"), "name")).Should().Be("Ada");
        (await _client.HashGetAllAsync(Key("h"))).Should().Equal(new Dictionary<string, string> { ["name"] = "Ada" });
    }

    [Fact]
    public async Task A_script_runs_atomically_and_is_sent_in_full_only_when_the_server_lacks_it()
    {
        // A fixed-window rate limit: at most 3 per window.
        var limit = new RedisScript($"""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            if n > tonumber(ARGV[2]) then return 0 end
            return 1
            -- {Guid.NewGuid()} keeps this script new to the server
            """);
        var traced = new List<string>();
        using var listener = Listen(traced);

        var answers = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await _client.EvaluateAsync(limit, [Key("rate")], ["60000", "3"])).Integer);
        }

        answers.Should().Equal(1, 1, 1, 0, 0);
        traced.Where(n => n.StartsWith("EVAL", StringComparison.Ordinal)).Should().Equal("EVALSHA", "EVAL", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA");
    }

    [Fact]
    public async Task A_server_error_is_thrown_with_its_kind_and_the_connection_stays_usable()
    {
        await _client.SetAsync(Key("text"), "not a number");

        var act = () => _client.IncrementAsync(Key("text"));

        (await act.Should().ThrowAsync<RedisServerException>()).Which.Kind.Should().Be("ERR");
        (await _client.GetAsync(Key("text"))).Should().Be("not a number");
    }

    [Fact]
    public async Task Published_messages_reach_subscribers_in_order_until_they_unsubscribe()
    {
        var received = new List<string>();
        var allArrived = new TaskCompletionSource();
        var subscription = await _client.SubscribeAsync(Key("channel"), (message, _) =>
        {
            lock (received)
            {
                received.Add(message);
                if (received.Count == 20)
                {
                    allArrived.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });

        for (var i = 0; i < 20; i++)
        {
            (await _client.PublishAsync(Key("channel"), $"m{i}")).Should().Be(1);
        }

        await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await subscription.DisposeAsync();

        received.Should().Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"));
        (await _client.PublishAsync(Key("channel"), "after")).Should().Be(0, "nobody listens any more");
        (await _client.GetAsync(Key("x"))).Should().BeNull("the shared connection still answers commands");
    }

    [Fact]
    public async Task Streams_deliver_to_a_group_track_pending_entries_and_let_another_consumer_claim_them()
    {
        var stream = Key("stream");
        (await _client.StreamCreateGroupAsync(stream, "billing")).Should().BeTrue();
        (await _client.StreamCreateGroupAsync(stream, "billing")).Should().BeFalse("the group exists");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _client.StreamAddAsync(stream, [new("type", "UserRegistered"), new("n", $"{i}")]));
        }

        var firstRead = await _client.StreamReadGroupAsync(stream, "billing", "consumer-a", count: 10);
        firstRead.Select(e => e.Id).Should().Equal(ids);
        firstRead[1].Fields.Should().Contain("n", "1");
        (await _client.StreamAcknowledgeAsync(stream, "billing", ids[0])).Should().Be(1);

        var pending = await _client.StreamPendingAsync(stream, "billing");
        pending.Select(p => p.Id).Should().Equal(ids[1], ids[2]);
        pending.Should().OnlyContain(p => p.Consumer == "consumer-a" && p.DeliveryCount == 1);
        (await _client.StreamReadGroupAsync(stream, "billing", "consumer-b", count: 10)).Should().BeEmpty("nothing new");

        await Task.Delay(60);
        var claimed = await _client.StreamAutoClaimAsync(stream, "billing", "consumer-b", TimeSpan.FromMilliseconds(50));
        claimed.Claimed.Select(e => e.Id).Should().Equal(ids[1], ids[2]);
        (await _client.StreamPendingAsync(stream, "billing")).Should().OnlyContain(p => p.Consumer == "consumer-b" && p.DeliveryCount == 2);

        (await _client.StreamRangeAsync(stream)).Select(e => e.Id).Should().Equal(ids);
        (await _client.StreamGroupsAsync(stream)).Single().Should().Match<StreamGroupInfo>(g => g.Name == "billing" && g.Pending == 2 && g.Lag == 0);
        await _client.StreamAddAsync(stream, [new("type", "UserRegistered")]);
        (await _client.StreamGroupsAsync(stream)).Single().Lag.Should().Be(1);
        (await _client.StreamTrimAsync(stream, 1, approximate: false)).Should().Be(3);
        (await _client.StreamLengthAsync(stream)).Should().Be(1);
    }

    [Fact]
    public async Task Many_entries_are_acknowledged_in_one_command()
    {
        var stream = Key("ack-many");
        await _client.StreamCreateGroupAsync(stream, "billing", "0");
        for (var i = 0; i < 3; i++)
        {
            await _client.StreamAddAsync(stream, [new("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }

        var read = await _client.StreamReadGroupAsync(stream, "billing", "a", count: 10);

        (await _client.StreamAcknowledgeAsync(stream, "billing", read.Take(2).Select(e => e.Id))).Should().Be(2);
        (await _client.StreamPendingAsync(stream, "billing")).Select(p => p.Id).Should().Equal(read[2].Id);
        (await _client.StreamAcknowledgeAsync(stream, "billing", read.Select(e => e.Id))).Should().Be(1, "two were acknowledged already");
    }

    [Fact]
    public async Task Consumers_of_a_group_are_listed_with_their_pending_entries_and_can_be_removed()
    {
        var stream = Key("consumers");
        await _client.StreamCreateGroupAsync(stream, "billing", "0");
        await _client.StreamAddAsync(stream, [new("n", "1")]);
        await _client.StreamAddAsync(stream, [new("n", "2")]);
        await _client.StreamReadGroupAsync(stream, "billing", "busy", count: 1);
        var handled = await _client.StreamReadGroupAsync(stream, "billing", "idle", count: 1);
        await _client.StreamAcknowledgeAsync(stream, "billing", handled.Single().Id);
        await Task.Delay(30);

        var consumers = await _client.StreamConsumersAsync(stream, "billing");

        consumers.Select(c => (c.Name, c.Pending)).Should().BeEquivalentTo([("busy", 1L), ("idle", 0L)]);
        consumers.Should().OnlyContain(c => c.Idle >= TimeSpan.FromMilliseconds(20));
        (await _client.StreamDeleteConsumerAsync(stream, "billing", "idle")).Should().Be(0);
        (await _client.StreamConsumersAsync(stream, "billing")).Select(c => c.Name).Should().Equal("busy");
    }

    [Fact]
    public async Task Claiming_named_entries_takes_only_those_idle_long_enough_and_skips_deleted_ones()
    {
        var stream = Key("claim");
        await _client.StreamCreateGroupAsync(stream, "billing", "0");
        var first = await _client.StreamAddAsync(stream, [new("n", "1")]);
        var deleted = await _client.StreamAddAsync(stream, [new("n", "2")]);
        await _client.StreamReadGroupAsync(stream, "billing", "consumer-a", count: 10);
        await _client.StreamDeleteAsync(stream, deleted);

        (await _client.StreamClaimAsync(stream, "billing", "consumer-b", TimeSpan.FromMinutes(1), [first])).Should().BeEmpty("not idle long enough");
        await Task.Delay(60);
        var claimed = await _client.StreamClaimAsync(stream, "billing", "consumer-b", TimeSpan.FromMilliseconds(50), [first, deleted]);

        claimed.Should().ContainSingle().Which.Should().Match<StreamEntry>(e => e.Id == first && e.Fields["n"] == "1");
        (await _client.StreamPendingAsync(stream, "billing")).Should().ContainSingle()
            .Which.Should().Match<StreamPendingEntry>(p => p.Id == first && p.Consumer == "consumer-b" && p.DeliveryCount == 2);
    }

    [Fact]
    public async Task A_blocking_read_on_a_dedicated_connection_waits_for_the_next_entry_without_stalling_the_shared_one()
    {
        var stream = Key("blocking");
        await _client.StreamCreateGroupAsync(stream, "g", "$");
        await using var dedicated = _client.CreateDedicated("reader");

        var read = dedicated.StreamReadGroupAsync(stream, "g", "c", count: 1, block: TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        var stopwatch = Stopwatch.StartNew();
        await _client.SetAsync(Key("meanwhile"), "fine");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "the shared connection is not blocked");
        var id = await _client.StreamAddAsync(stream, [new("k", "v")]);

        (await read).Single().Id.Should().Be(id);
    }

    [Fact]
    public async Task A_reply_slower_than_the_timeout_fails_that_command_but_not_the_next_ones()
    {
        await using var impatient = new RedisClient(RedisOptions.Parse(redis.ConnectionString) with { CommandTimeout = TimeSpan.FromMilliseconds(200) });
        await impatient.SetAsync(Key("after"), "right reply");

        // Scripts run atomically: this one keeps the server busy for 600 ms.
        var busy = new RedisScript("""
            local function ms() local t = redis.call('TIME') return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 end
            local started = ms()
            while ms() - started < 600 do end
            return 'slow'
            """);
        var slow = () => impatient.EvaluateAsync(busy, [], Array.Empty<string>());

        await slow.Should().ThrowAsync<RedisTimeoutException>();
        // The script's late reply must not be taken as this GET's reply.
        (await impatient.ExecuteAsync(new RedisCommand("GET") { Timeout = TimeSpan.FromSeconds(2) }.Add(Key("after")))).AsString().Should().Be("right reply");
    }

    [Fact]
    public async Task A_cancelled_command_throws_and_leaves_the_connection_in_step()
    {
        await _client.SetAsync(Key("k"), "v");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => _client.GetAsync(Key("k"), cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await _client.GetAsync(Key("k"))).Should().Be("v");
    }

    [Fact]
    public async Task A_wrong_password_fails_at_once_with_a_clear_message()
    {
        await using var intruder = new RedisClient(RedisOptions.Parse(redis.ConnectionString) with { Password = "wrong" });
        var stopwatch = Stopwatch.StartNew();

        var act = () => intruder.PingAsync();

        (await act.Should().ThrowAsync<RedisConnectionException>()).Which.Message.Should().Contain("refused").And.Contain("WRONGPASS");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "a refused password is not retried until the timeout");
    }

    [Fact]
    public async Task Every_command_is_an_activity_with_the_database_attributes()
    {
        var traced = new List<string>();
        using var listener = Listen(traced, all: true);

        await _client.SetAsync(Key("traced"), "x");

        traced.Should().Contain(t => t == $"SET|redis|{_client.Options.Port}");
    }

    [Fact]
    public async Task A_missing_server_gives_a_connection_error_within_the_timeout()
    {
        await using var nowhere = new RedisClient(new RedisOptions { Host = "127.0.0.1", Port = Ports.GetFree(), CommandTimeout = TimeSpan.FromMilliseconds(500) });

        var act = () => nowhere.PingAsync();

        (await act.Should().ThrowAsync<RedisException>()).Which.Message.Should().Contain("127.0.0.1");
    }

    private static ActivityListener Listen(List<string> names, bool all = false)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RedisConnection.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (names)
                {
                    names.Add(all ? $"{activity.DisplayName}|{activity.GetTagItem("db.system.name")}|{activity.GetTagItem("server.port")}" : activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}

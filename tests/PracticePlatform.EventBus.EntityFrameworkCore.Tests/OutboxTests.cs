using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.EntityFrameworkCore.Tests;

[Collection(ServersCollection.Name)]
public sealed class OutboxTests(ServersFixture servers)
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}";

    [Fact]
    public async Task An_event_saved_with_a_state_change_is_delivered_once_the_change_commits()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix, pollInterval: TimeSpan.FromMinutes(5));

        var admitted = await ward.AdmitAsync("cardiology");

        // The poll interval is minutes: only the commit's signal can have sent it this soon.
        (await ward.Probe.NextAsync(TimeSpan.FromSeconds(10))).Event.Should().Be(admitted);
        (await ward.AssignmentsForAsync(admitted.Id)).Should().Be(1);
        await WaitUntilAsync(async () => await ward.QueryAsync(db => db.Set<OutboxMessage>().CountAsync()) == 0);
    }

    [Fact]
    public async Task An_event_saved_in_a_transaction_that_rolls_back_is_never_sent()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix);
        PatientAdmitted discarded;
        await using (var scope = ward.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WardDbContext>();
            var admission = new Admission { Ward = "oncology" };
            discarded = new PatientAdmitted(admission.Id, admission.Ward);
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                db.Admissions.Add(admission);
                scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(discarded);
                await db.SaveChangesAsync();
                await transaction.RollbackAsync();
            });
        }

        var next = await ward.AdmitAsync("oncology");

        (await ward.Probe.NextAsync()).Event.Should().Be(next, "the rolled-back event was never sent");
        (await ward.QueryAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.EventId == discarded.Id))).Should().Be(0);
        (await ward.QueryAsync(db => db.Admissions.CountAsync(a => a.Id == discarded.AdmissionId))).Should().Be(0);
    }

    [Fact]
    public async Task An_event_committed_inside_an_explicit_transaction_is_sent_when_that_transaction_commits()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix, pollInterval: TimeSpan.FromMinutes(5));
        await using var scope = ward.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WardDbContext>();
        var admission = new Admission { Ward = "renal" };
        var admitted = new PatientAdmitted(admission.Id, admission.Ward);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Admissions.Add(admission);
            scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(admitted);
            await db.SaveChangesAsync();
            await Task.Delay(300);
            ward.Probe.TryTakeAnother(out _).Should().BeFalse("nothing is sent before the commit");

            await transaction.CommitAsync();
        });

        (await ward.Probe.NextAsync(TimeSpan.FromSeconds(10))).Event.Should().Be(admitted);
    }

    [Fact]
    public async Task Events_committed_just_before_a_crash_are_sent_when_the_service_starts_again()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        var left = Enumerable.Range(1, 3).Select(i => new PatientAdmitted(Guid.CreateVersion7(), $"ward {i}")).ToList();
        await using (var db = WardDatabase.Open(database))
        {
            // Committed without the relay ever hearing of it, as when the process dies right after the commit.
            foreach (var @event in left)
            {
                db.Set<OutboxMessage>().Add(OutboxMessage.From(EventBus.CreateEnvelope(@event)));
            }

            await db.SaveChangesAsync();
        }

        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix);

        var handled = new[] { await ward.Probe.NextAsync(), await ward.Probe.NextAsync(), await ward.Probe.NextAsync() };
        handled.Select(h => h.Event).Should().Equal(left, "the relay sends in commit order");
        await WaitUntilAsync(async () => await ward.QueryAsync(db => db.Set<OutboxMessage>().CountAsync()) == 0);
    }

    [Fact]
    public async Task Events_another_replica_committed_are_sent_by_the_periodic_scan_even_while_this_one_is_busy()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix, pollInterval: TimeSpan.FromMilliseconds(500));
        var foreign = new PatientAdmitted(Guid.CreateVersion7(), "committed by another replica");
        await using (var db = WardDatabase.Open(database))
        {
            db.Set<OutboxMessage>().Add(OutboxMessage.From(EventBus.CreateEnvelope(foreign)));
            await db.SaveChangesAsync();
        }

        // Commits of its own wake this relay several times per poll interval.
        var handled = new List<PatientAdmitted>();
        for (var i = 0; i < 30 && !handled.Contains(foreign); i++)
        {
            await ward.AdmitAsync($"busy {i}");
            await Task.Delay(100);
            while (ward.Probe.TryTakeAnother(out var next))
            {
                handled.Add(next.Event);
            }
        }

        handled.Should().Contain(foreign);
    }

    [Fact]
    public async Task While_Redis_is_down_commits_succeed_and_the_outbox_delivers_each_event_once_Redis_is_back()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        var redisOptions = new RedisServerOptions
        {
            Directory = TestDirectories.Create("redis-outage"),
            Port = Ports.GetFree(),
            Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        };
        var redis = await RedisServer.StartAsync(redisOptions);
        try
        {
            await using var ward = await WardHost.StartAsync(database, redis.ConnectionString, _prefix);
            var before = await ward.AdmitAsync("before the outage");
            (await ward.Probe.NextAsync()).Event.Should().Be(before);

            await redis.StopAsync();
            await redis.DisposeAsync();
            var during = new List<PatientAdmitted>();
            for (var i = 0; i < 5; i++)
            {
                during.Add(await ward.AdmitAsync($"during the outage {i}"));
            }

            await WaitUntilAsync(async () => await ward.QueryAsync(db =>
                db.Set<OutboxMessage>().AnyAsync(m => m.Attempts > 0)));
            (await ward.QueryAsync(db => db.Admissions.CountAsync())).Should().Be(6, "every commit succeeded with Redis down");

            redis = await RedisServer.StartAsync(redisOptions);

            var handled = new List<PatientAdmitted>();
            for (var i = 0; i < during.Count; i++)
            {
                handled.Add((await ward.Probe.NextAsync(TimeSpan.FromSeconds(30))).Event);
            }

            handled.Should().BeEquivalentTo(during);
            await Task.Delay(1000);
            ward.Probe.TryTakeAnother(out _).Should().BeFalse("nothing is delivered twice");
            foreach (var @event in during)
            {
                (await ward.AssignmentsForAsync(@event.Id)).Should().Be(1);
            }

            await WaitUntilAsync(async () => await ward.QueryAsync(db => db.Set<OutboxMessage>().CountAsync()) == 0);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_handler_continues_the_trace_of_the_request_that_saved_the_event()
    {
        using var source = new ActivitySource("PracticePlatform.EventBus.EntityFrameworkCore.Tests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix);

        ActivityTraceId traceId;
        PatientAdmitted admitted;
        using (var request = source.StartActivity("POST /v1/admissions"))
        {
            traceId = request!.TraceId;
            admitted = await ward.AdmitAsync("paediatrics");
        }

        var handled = await ward.Probe.NextAsync();
        handled.Event.Should().Be(admitted);
        handled.Activity.Should().NotBeNull();
        handled.Activity!.TraceId.Should().Be(traceId);
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(50);
        }
    }
}

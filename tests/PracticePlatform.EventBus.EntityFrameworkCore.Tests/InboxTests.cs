using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.EntityFrameworkCore.Tests;

[Collection(ServersCollection.Name)]
public sealed class InboxTests(ServersFixture servers)
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}";

    private string Stream => $"{_prefix}:{nameof(PatientAdmitted)}";

    [Fact]
    public async Task An_event_delivered_twice_has_one_effect()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix);
        var bus = ward.Services.GetRequiredService<IEventBus>();
        var twice = new PatientAdmitted(Guid.CreateVersion7(), "cardiology");
        var marker = new PatientAdmitted(Guid.CreateVersion7(), "marker");

        // As when a relay sent an event and died before marking it sent: the same event id on the stream twice.
        await bus.PublishAsync(twice);
        await bus.PublishAsync(twice);
        await bus.PublishAsync(marker);

        (await ward.Probe.NextAsync()).Event.Should().Be(twice);
        (await ward.Probe.NextAsync()).Event.Should().Be(marker, "the second copy was skipped, not handled");
        (await ward.AssignmentsForAsync(twice.Id)).Should().Be(1);
        ward.Probe.Attempts.Should().Be(2);
        (await ward.Redis.StreamPendingAsync(Stream, "wards", 10)).Should().BeEmpty("the skipped copy was acknowledged too");
        (await ward.QueryAsync(db => db.Set<InboxMessage>().CountAsync(m => m.EventId == twice.Id))).Should().Be(1);
    }

    [Fact]
    public async Task A_handler_that_fails_after_saving_leaves_no_effect_and_its_retry_counts_once()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        var probe = new HandlerProbe
        {
            AfterSave = (_, attempt, _) => attempt == 1 ? throw new InvalidOperationException("printer jammed") : Task.CompletedTask,
        };
        await using var ward = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix, probe: probe);

        var admitted = await ward.AdmitAsync("orthopaedics");

        (await ward.Probe.NextAsync()).Event.Should().Be(admitted);
        ward.Probe.Attempts.Should().Be(2);
        (await ward.AssignmentsForAsync(admitted.Id)).Should().Be(1, "the failed attempt's row was rolled back with its inbox row");
    }

    [Fact]
    public async Task A_consumer_killed_while_handling_is_taken_over_by_another_instance_and_the_effect_stays_single()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        var dying = new HandlerProbe { AfterSave = (_, _, token) => Task.Delay(Timeout.Infinite, token) };
        var first = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix, probe: dying);
        var admitted = await first.AdmitAsync("stroke unit");
        await dying.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Its row is written but not committed when it goes; the entry stays pending under its name.
        await first.DisposeAsync();
        await using var second = await WardHost.StartAsync(
            database, servers.Redis.ConnectionString, _prefix, claimIdleTime: TimeSpan.FromMilliseconds(500));

        (await second.Probe.NextAsync()).Event.Should().Be(admitted);
        (await second.AssignmentsForAsync(admitted.Id)).Should().Be(1);
        await OutboxTests.WaitUntilAsync(async () => (await second.Redis.StreamPendingAsync(Stream, "wards", 10)).Count == 0);
    }

    [Fact]
    public async Task When_a_slow_consumer_finishes_after_another_took_its_event_over_the_effect_stays_single()
    {
        var database = await WardDatabase.CreateAsync(servers.Postgres);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new HandlerProbe { AfterSave = (_, _, _) => release.Task };
        await using var first = await WardHost.StartAsync(database, servers.Redis.ConnectionString, _prefix, probe: slow);
        var admitted = await first.AdmitAsync("respiratory");
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var owner = (await first.Redis.StreamPendingAsync(Stream, "wards", 10)).Single().Consumer;

        // The second instance takes the entry over and waits on the first one's uncommitted inbox row.
        await using var second = await WardHost.StartAsync(
            database, servers.Redis.ConnectionString, _prefix, claimIdleTime: TimeSpan.FromMilliseconds(500));
        await OutboxTests.WaitUntilAsync(async () =>
            (await first.Redis.StreamPendingAsync(Stream, "wards", 10)).SingleOrDefault()?.Consumer is { } consumer && consumer != owner);
        release.SetResult();

        (await slow.NextAsync()).Event.Should().Be(admitted);
        await OutboxTests.WaitUntilAsync(async () => (await second.Redis.StreamPendingAsync(Stream, "wards", 10)).Count == 0);
        (await first.AssignmentsForAsync(admitted.Id)).Should().Be(1);
        second.Probe.Attempts.Should().Be(0, "the inbox told the second instance the event was already handled");
    }
}

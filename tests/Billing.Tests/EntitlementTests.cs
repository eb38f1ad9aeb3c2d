using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.Billing.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

/// <summary>
/// "May this learner start a session now?" against real PostgreSQL and Redis: the free tier's three sessions a month
/// counted from PracticeSessionStarted once per session, seats taken first come and released by admins, individual
/// subscriptions, the Redis cache and its invalidation, and EntitlementChanged on the bus.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class EntitlementTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Me = "/v1/billing/entitlements/me";

    private readonly BillingHost _host = new(servers);
    private readonly Guid _institution = Guid.CreateVersion7();

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<EntitlementAnswer> AskAsync(TestUser user) =>
        await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(user).GetAsync(Me));

    private PracticeSessionStarted Started(TestUser learner, Guid? sessionId = null) => new(
        sessionId ?? Guid.CreateVersion7(), Guid.CreateVersion7(), 1, "text", _host.Clock.Now, learner.Id, learner.InstitutionId, null);

    [Fact]
    public async Task A_new_learner_has_three_free_sessions_until_the_end_of_the_month()
    {
        var answer = await AskAsync(TestUser.Learner(_institution));

        answer.CanStartSession.Should().BeTrue();
        answer.Plan.Should().Be("free");
        answer.SessionsRemaining.Should().Be(3);
        answer.PeriodEnds.Should().Be(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        answer.Source.Should().Be(EntitlementSource.Free);
        answer.Remedy.Should().BeNull();
    }

    [Fact]
    public async Task The_free_allowance_counts_each_started_session_once_and_refuses_the_fourth_with_reason_and_remedy()
    {
        var learner = TestUser.Learner(_institution);
        var first = Started(learner);
        await AskAsync(learner);

        await _host.PublishAsync(first);
        await _host.PublishAsync(first);                                   // redelivered
        await _host.PublishAsync(first with { Id = Guid.CreateVersion7() }); // the same session under a new event id
        var afterOne = await BillingHost.EventuallyAsync(() => AskAsync(learner), a => a.SessionsRemaining == 2);
        afterOne.SessionsRemaining.Should().Be(2, "the cached answer is invalidated when the session is counted");
        await _host.PublishAsync(Started(learner));
        await _host.PublishAsync(Started(learner));
        var refused = await BillingHost.EventuallyAsync(() => AskAsync(learner), a => !a.CanStartSession);

        refused.CanStartSession.Should().BeFalse();
        refused.SessionsRemaining.Should().Be(0);
        refused.Reason.Should().Be("You have used your 3 free sessions this month; they renew on 1 December.");
        refused.Remedy.Should().Be("Ask your institution for a seat or subscribe to Individual.");
        (await _host.InDatabaseAsync(db => db.SessionStarts.CountAsync(s => s.LearnerId == learner.Id))).Should().Be(3);
    }

    [Fact]
    public async Task The_free_allowance_renews_on_the_first_of_the_next_month()
    {
        var learner = TestUser.Learner(_institution);
        for (var i = 0; i < 3; i++)
        {
            await _host.PublishAsync(Started(learner));
        }

        (await BillingHost.EventuallyAsync(() => AskAsync(learner), a => !a.CanStartSession)).CanStartSession.Should().BeFalse();
        _host.Clock.Now = new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero);

        var december = await AskAsync(learner);

        december.CanStartSession.Should().BeTrue("a cached answer is valid only until the month it describes ends");
        december.SessionsRemaining.Should().Be(3);
    }

    [Fact]
    public async Task An_answer_is_served_from_Redis_until_a_change_invalidates_it()
    {
        var learner = TestUser.Learner(_institution);
        (await AskAsync(learner)).SessionsRemaining.Should().Be(3);

        // Behind the cache's back: the cached answer still says 3.
        await _host.InDatabaseAsync(db => db.Database.ExecuteSqlAsync(
            $"INSERT INTO session_starts (session_id, learner_id, institution_id, started_at, covered_by) VALUES ({Guid.CreateVersion7()}, {learner.Id}, {_institution}, {_host.Clock.Now}, 'Free')"));
        (await AskAsync(learner)).SessionsRemaining.Should().Be(3);

        await _host.PublishAsync(Started(learner));
        var answer = await BillingHost.EventuallyAsync(() => AskAsync(learner), a => a.SessionsRemaining == 1);

        answer.SessionsRemaining.Should().Be(1);
    }

    [Fact]
    public async Task UserRegistered_grants_the_free_tier()
    {
        var userId = Guid.CreateVersion7();

        await _host.PublishAsync(new UserRegistered(userId, _institution, "ada@example.test", "Ada", ["learner"]));
        var granted = await BillingHost.EventuallyAsync(
            () => _host.InDatabaseAsync(db => db.FreeTierGrants.AnyAsync(g => g.UserId == userId)), found => found);

        granted.Should().BeTrue();
    }

    [Fact]
    public async Task A_learner_takes_a_free_seat_of_their_institution_and_then_practises_without_limit()
    {
        var learner = TestUser.Learner(_institution);
        var subscription = await _host.SubscribeInstitutionAsync(_institution, seats: 2);

        var answer = await AskAsync(learner);

        answer.CanStartSession.Should().BeTrue();
        answer.Source.Should().Be(EntitlementSource.Seat);
        answer.Plan.Should().Be("institution-seat");
        answer.SessionsRemaining.Should().BeNull();
        answer.SubscriptionId.Should().Be(subscription.GetProperty("id").GetGuid());
        var seats = await BillingHost.ReadAsync<List<SeatDetails>>(
            await _host.CreateClient(TestUser.InstitutionAdmin(_institution)).GetAsync($"/v1/billing/institutions/{_institution}/seats"));
        seats.Select(s => s.UserId).Should().Equal(learner.Id);
    }

    [Fact]
    public async Task Seats_go_first_come_and_a_learner_without_one_falls_back_to_the_free_tier_with_a_remedy()
    {
        var first = TestUser.Learner(_institution);
        var second = TestUser.Learner(_institution);
        await _host.SubscribeInstitutionAsync(_institution, seats: 1);

        (await AskAsync(first)).Source.Should().Be(EntitlementSource.Seat);
        var fallback = await AskAsync(second);

        fallback.Source.Should().Be(EntitlementSource.Free);
        fallback.CanStartSession.Should().BeTrue();
        for (var i = 0; i < 3; i++)
        {
            await _host.PublishAsync(Started(second));
        }

        var refused = await BillingHost.EventuallyAsync(() => AskAsync(second), a => !a.CanStartSession);
        refused.Remedy.Should().Contain("All 1 seats of your institution are taken");
    }

    [Fact]
    public async Task Sessions_practised_on_a_seat_do_not_use_the_free_allowance()
    {
        var learner = TestUser.Learner(_institution);
        await _host.SubscribeInstitutionAsync(_institution, seats: 1);
        await AskAsync(learner);

        for (var i = 0; i < 4; i++)
        {
            await _host.PublishAsync(Started(learner));
        }

        var counted = await BillingHost.EventuallyAsync(
            () => _host.InDatabaseAsync(db => db.SessionStarts.Where(s => s.LearnerId == learner.Id).ToListAsync()), s => s.Count == 4);
        counted.Should().HaveCount(4).And.OnlyContain(s => s.CoveredBy == EntitlementSource.Seat);
    }

    [Fact]
    public async Task Releasing_a_seat_takes_effect_at_once_and_frees_it_for_the_next_learner()
    {
        var holder = TestUser.Learner(_institution);
        var waiting = TestUser.Learner(_institution);
        var admin = _host.CreateClient(TestUser.InstitutionAdmin(_institution));
        await _host.SubscribeInstitutionAsync(_institution, seats: 1);
        (await AskAsync(holder)).Source.Should().Be(EntitlementSource.Seat);
        (await AskAsync(waiting)).Source.Should().Be(EntitlementSource.Free);

        var released = await admin.DeleteAsync($"/v1/billing/institutions/{_institution}/seats/{holder.Id}");

        released.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await AskAsync(holder)).Source.Should().Be(EntitlementSource.Seat, "the seat is free again, and the first to ask takes it");
        (await AskAsync(waiting)).Source.Should().Be(EntitlementSource.Free);
        await admin.DeleteAsync($"/v1/billing/institutions/{_institution}/seats/{holder.Id}");
        (await AskAsync(waiting)).Source.Should().Be(EntitlementSource.Seat, "the cached free-tier answer was invalidated by the release");
        var changed = await BillingHost.EventuallyAsync(() => _host.PublishedAsync("EntitlementChanged"), e => e.Count >= 3);
        changed.Where(e => e.GetProperty("reason").GetString() == "seat released")
            .Select(e => e.GetProperty("userId").GetGuid()).Should().Equal(holder.Id, holder.Id);
    }

    [Fact]
    public async Task An_educator_asking_takes_no_seat()
    {
        await _host.SubscribeInstitutionAsync(_institution, seats: 1);

        var answer = await AskAsync(TestUser.Educator(_institution));

        answer.Source.Should().Be(EntitlementSource.Free);
        (await _host.InDatabaseAsync(db => db.SeatAssignments.CountAsync())).Should().Be(0);
    }

    [Fact]
    public async Task Subscribing_to_Individual_publishes_EntitlementChanged_and_replaces_the_cached_free_answer()
    {
        var learner = TestUser.Learner(_institution);
        (await AskAsync(learner)).Source.Should().Be(EntitlementSource.Free);

        var created = await BillingHost.PostAsync(_host.CreateClient(learner), "/v1/billing/subscriptions", new { planCode = "individual-monthly" });

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var answer = await AskAsync(learner);
        answer.Source.Should().Be(EntitlementSource.Individual);
        answer.Plan.Should().Be("individual-monthly");
        answer.SessionsRemaining.Should().BeNull();
        var events = await BillingHost.EventuallyAsync(() => _host.PublishedAsync("EntitlementChanged"), e => e.Count > 0);
        events.Should().ContainSingle().Which.GetProperty("userId").GetGuid().Should().Be(learner.Id);
    }

    [Fact]
    public async Task A_subscription_of_another_institution_gives_no_seat()
    {
        await _host.SubscribeInstitutionAsync(Guid.CreateVersion7(), seats: 5);

        var answer = await AskAsync(TestUser.Learner(_institution));

        answer.Source.Should().Be(EntitlementSource.Free);
    }

    [Fact]
    public async Task Every_answer_has_the_fields_sessions_reads()
    {
        var response = await _host.CreateClient(TestUser.Learner(_institution)).GetAsync(Me);

        var json = await BillingHost.JsonAsync(response);
        json.EnumerateObject().Select(p => p.Name).Should().Contain(["canStartSession", "reason", "remedy", "plan", "sessionsRemaining", "periodEnds"]);
        json.GetProperty("source").GetString().Should().Be("free");
        json.GetProperty("remedy").ValueKind.Should().Be(JsonValueKind.Null);
    }
}

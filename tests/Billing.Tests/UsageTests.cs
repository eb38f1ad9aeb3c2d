using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.Billing.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

/// <summary>Completed sessions and LLM calls become usage records, each counted once however often its event arrives
/// and under whatever event id; aggregated per period and billed to what covered the learner.</summary>
[Collection(ServersCollection.Name)]
public sealed class UsageTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly BillingHost _host = new(servers);
    private readonly Guid _institution = Guid.CreateVersion7();

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private PracticeSessionCompleted Completed(TestUser learner, int minutes) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), 1, "text", _host.Clock.Now.AddMinutes(-minutes), _host.Clock.Now,
        learner.Id, learner.InstitutionId, null);

    private AiUsageRecorded Llm(TestUser learner, int input, int output, decimal cost) => new(
        Guid.CreateVersion7(), "patient_replies", Guid.CreateVersion7(), learner.Id, learner.InstitutionId, "offline", "offline-patient",
        input, output, cost, _host.Clock.Now);

    private async Task<List<UsagePeriod>> MyUsageAsync(TestUser learner) =>
        await BillingHost.ReadAsync<List<UsagePeriod>>(await _host.CreateClient(learner).GetAsync("/v1/billing/usage/me"));

    [Fact]
    public async Task A_redelivered_or_resent_PracticeSessionCompleted_counts_one_session_and_its_minutes_once()
    {
        var learner = TestUser.Learner(_institution);
        var completed = Completed(learner, minutes: 12);
        var marker = Completed(learner, minutes: 3);

        await _host.PublishAsync(completed);
        await _host.PublishAsync(completed);
        await _host.PublishAsync(completed with { Id = Guid.CreateVersion7() });
        await _host.PublishAsync(marker);
        await BillingHost.EventuallyAsync(
            () => _host.InDatabaseAsync(db => db.UsageRecords.AnyAsync(u => u.SourceKey == $"session:{marker.SessionId}")), found => found);
        var usage = await MyUsageAsync(learner);

        var period = usage.Should().ContainSingle().Subject;
        period.Sessions.Should().Be(2);
        period.Minutes.Should().Be(15m);
        period.SubscriptionId.Should().BeNull("the free tier is billed per learner");
        period.PeriodStart.Should().Be(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_redelivered_or_resent_AiUsageRecorded_counts_its_tokens_and_cost_once()
    {
        var learner = TestUser.Learner(_institution);
        var reply = Llm(learner, 1200, 300, 0.0125m);
        var marker = Llm(learner, 100, 50, 0.001m);

        await _host.PublishAsync(reply);
        await _host.PublishAsync(reply);
        await _host.PublishAsync(reply with { Id = Guid.CreateVersion7() });
        await _host.PublishAsync(marker);
        await BillingHost.EventuallyAsync(
            () => _host.InDatabaseAsync(db => db.UsageRecords.AnyAsync(u => u.SourceKey == $"llm:{marker.UsageId}")), found => found);
        var period = (await MyUsageAsync(learner)).Should().ContainSingle().Subject;

        period.InputTokens.Should().Be(1300);
        period.OutputTokens.Should().Be(350);
        period.Cost.Should().Be(0.0135m);
        period.Sessions.Should().Be(0);
    }

    [Fact]
    public async Task Usage_of_a_learner_on_a_seat_is_billed_to_the_institution_and_shown_to_its_admin_for_the_period()
    {
        var learner = TestUser.Learner(_institution);
        var subscriptionId = await _host.ActiveInstitutionSubscriptionAsync(_institution, seats: 3);
        await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me");
        var completed = Completed(learner, minutes: 20);

        await _host.PublishAsync(completed);
        await _host.PublishAsync(Llm(learner, 500, 100, 0.01m));
        var admin = _host.CreateClient(TestUser.InstitutionAdmin(_institution));
        var usage = await BillingHost.EventuallyAsync(
            async () => await BillingHost.ReadAsync<List<UsagePeriod>>(await admin.GetAsync($"/v1/billing/institutions/{_institution}/usage")),
            u => u.Count == 1 && u[0].Sessions == 1 && u[0].InputTokens == 500);

        var period = usage.Should().ContainSingle().Subject;
        period.SubscriptionId.Should().Be(subscriptionId);
        period.Minutes.Should().Be(20m);
        period.PeriodStart.Should().Be(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        var overview = await BillingHost.JsonAsync(await admin.GetAsync($"/v1/billing/institutions/{_institution}"));
        overview.GetProperty("usageThisPeriod").GetProperty("sessions").GetInt32().Should().Be(1);
        overview.GetProperty("seats").GetProperty("used").GetInt32().Should().Be(1);
        overview.GetProperty("seats").GetProperty("free").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Another_institutions_admin_sees_none_of_its_usage()
    {
        var response = await _host.CreateClient(TestUser.InstitutionAdmin(Guid.CreateVersion7())).GetAsync($"/v1/billing/institutions/{_institution}/usage");

        await response.ShouldBeProblemAsync(System.Net.HttpStatusCode.NotFound);
    }
}

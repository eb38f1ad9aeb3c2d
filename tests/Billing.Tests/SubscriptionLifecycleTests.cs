using System.Net;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

/// <summary>Subscriptions through their lifecycle (trialing → active → past due → restricted, cancelled → expired),
/// the transitions refused as 409/422 problems, proration through the API and the invoices the period close issues.</summary>
[Collection(ServersCollection.Name)]
public sealed class SubscriptionLifecycleTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Subscriptions = "/v1/billing/subscriptions";

    private readonly BillingHost _host = new(servers);
    private readonly Guid _institution = Guid.CreateVersion7();

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Admin => _host.CreateClient(TestUser.InstitutionAdmin(_institution));

    private HttpClient PlatformAdmin => _host.CreateClient(TestUser.PlatformAdmin());

    private async Task<SubscriptionDetails> SubscriptionAsync(Guid id) =>
        await BillingHost.ReadAsync<SubscriptionDetails>(await PlatformAdmin.GetAsync($"{Subscriptions}/{id}"));

    private async Task<List<InvoiceDetails>> InstitutionInvoicesAsync() =>
        await BillingHost.ReadAsync<List<InvoiceDetails>>(await Admin.GetAsync($"/v1/billing/institutions/{_institution}/invoices"));

    [Fact]
    public async Task A_learner_subscribing_to_Individual_is_active_at_once_with_the_first_invoice_open_and_numbered()
    {
        var learner = _host.CreateClient(TestUser.Learner(_institution));

        var created = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PostAsync(learner, Subscriptions, new { planCode = "individual-monthly" }));

        created.Status.Should().Be(SubscriptionStatus.Active);
        created.CurrentPeriodEnd.Should().Be(new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.Zero));
        var invoices = await BillingHost.ReadAsync<List<InvoiceDetails>>(await learner.GetAsync("/v1/billing/invoices"));
        var invoice = invoices.Should().ContainSingle().Subject;
        invoice.Status.Should().Be(InvoiceStatus.Open);
        invoice.Number.Should().Be("INV-2026-000001");
        invoice.TotalMinor.Should().Be(1900);
        invoice.Lines.Should().ContainSingle().Which.Kind.Should().Be(InvoiceLineKind.Subscription);
        var mine = await BillingHost.ReadAsync<SubscriptionDetails>(await learner.GetAsync($"{Subscriptions}/me"));
        mine.Id.Should().Be(created.Id);
    }

    [Fact]
    public async Task Subscribing_twice_is_a_409_problem()
    {
        var learner = _host.CreateClient(TestUser.Learner(_institution));
        (await BillingHost.PostAsync(learner, Subscriptions, new { planCode = "individual-monthly" })).EnsureSuccessStatusCode();
        await _host.SubscribeInstitutionAsync(_institution, 5);

        await (await BillingHost.PostAsync(learner, Subscriptions, new { planCode = "individual-monthly" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await BillingHost.PostAsync(Admin, Subscriptions, new { planCode = "institution-seat", seats = 3 })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("free", null)]
    [InlineData("platinum", null)]
    [InlineData("institution-seat", null)]
    public async Task Subscribing_to_what_cannot_be_bought_is_a_422_problem(string planCode, int? seats)
    {
        var client = planCode == "institution-seat" ? Admin : _host.CreateClient(TestUser.Learner(_institution));

        var response = await BillingHost.PostAsync(client, Subscriptions, new { planCode, seats });

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Card_numbers_are_refused_and_provider_references_are_kept()
    {
        var learner = _host.CreateClient(TestUser.Learner(_institution));

        var card = await BillingHost.PostAsync(learner, "/v1/billing/payment-methods",
            new { provider = "acme", providerCustomerId = "cus_1", details = new { value = "4242 4242 4242 4242" } });
        var named = await BillingHost.PostAsync(learner, "/v1/billing/payment-methods",
            new { provider = "acme", providerCustomerId = "cus_1", cardNumber = "x" });
        var stored = await BillingHost.PostAsync(learner, "/v1/billing/payment-methods",
            new { provider = "acme", providerCustomerId = "cus_1", providerPaymentMethodId = "pm_1", brand = "visa", last4 = "4242" });

        (await card.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString().Should().Contain("$.details.value");
        await named.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        stored.StatusCode.Should().Be(HttpStatusCode.Created);
        var methods = await BillingHost.ReadAsync<List<PaymentMethodDetails>>(await learner.GetAsync("/v1/billing/payment-methods"));
        methods.Should().ContainSingle().Which.Last4.Should().Be("4242");
    }

    [Fact]
    public async Task An_institution_trial_becomes_active_at_its_end_and_its_first_invoice_bills_every_seat()
    {
        var trial = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PostAsync(Admin, Subscriptions, new { planCode = "institution-seat", seats = 10 }));
        trial.Status.Should().Be(SubscriptionStatus.Trialing);
        trial.TrialEndsAt.Should().Be(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

        _host.Clock.Now = trial.TrialEndsAt!.Value;
        var summary = await BillingHost.JsonAsync(await _host.ClosePeriodAsync());

        summary.GetProperty("renewed").GetInt32().Should().Be(1);
        var active = await SubscriptionAsync(trial.Id);
        active.Status.Should().Be(SubscriptionStatus.Active);
        active.CurrentPeriodStart.Should().Be(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        active.CurrentPeriodEnd.Should().Be(new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.Zero));
        var invoice = (await InstitutionInvoicesAsync()).Should().ContainSingle().Subject;
        invoice.Status.Should().Be(InvoiceStatus.Open);
        invoice.Lines.Should().ContainSingle().Which.AmountMinor.Should().Be(12000);
        invoice.TotalMinor.Should().Be(12000);
        (await BillingHost.JsonAsync(await _host.ClosePeriodAsync())).GetProperty("renewed").GetInt32().Should().Be(0, "closing twice renews once");
    }

    [Fact]
    public async Task Adding_seats_mid_period_puts_exact_proration_lines_on_the_next_invoice()
    {
        var id = await _host.ActiveInstitutionSubscriptionAsync(_institution, seats: 10);
        _host.Clock.Now = new DateTimeOffset(2026, 12, 9, 15, 0, 0, TimeSpan.Zero);

        var changed = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PatchAsync(Admin, $"{Subscriptions}/{id}", new { seats = 15 }));

        changed.Seats.Should().Be(15);
        var draft = (await InstitutionInvoicesAsync()).Should().ContainSingle(i => i.Status == InvoiceStatus.Draft).Subject;
        draft.Lines.Select(l => (l.Kind, l.AmountMinor)).Should().Equal((InvoiceLineKind.Proration, -6000L), (InvoiceLineKind.Proration, 9000L));
        draft.Number.Should().BeNull("numbers are given when an invoice is finalised");

        _host.Clock.Now = new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.Zero);
        (await _host.ClosePeriodAsync()).EnsureSuccessStatusCode();
        var issued = (await InstitutionInvoicesAsync()).Should().ContainSingle(i => i.PeriodStart == new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.Zero)).Subject;
        issued.Status.Should().Be(InvoiceStatus.Open);
        issued.Lines.Select(l => l.AmountMinor).Should().BeEquivalentTo([-6000L, 9000L, 18000L]);
        issued.TotalMinor.Should().Be(21000);
    }

    [Fact]
    public async Task Changing_plan_mid_period_credits_the_old_price_and_charges_the_new_for_the_days_left()
    {
        (await BillingHost.PostAsync(PlatformAdmin, "/v1/billing/plans",
            new { code = "individual-plus", name = "Individual Plus", audience = "individual", priceMinor = 2900 })).EnsureSuccessStatusCode();
        var learner = _host.CreateClient(TestUser.Learner(_institution));
        var created = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PostAsync(learner, Subscriptions, new { planCode = "individual-monthly" }));
        _host.Clock.Now = new DateTimeOffset(2026, 11, 20, 18, 0, 0, TimeSpan.Zero);

        var changed = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PatchAsync(learner, $"{Subscriptions}/{created.Id}", new { planCode = "individual-plus" }));
        var refused = await BillingHost.PatchAsync(learner, $"{Subscriptions}/{created.Id}", new { planCode = "institution-seat" });

        changed.Plan.Should().Be("individual-plus");
        await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var draft = (await BillingHost.ReadAsync<List<InvoiceDetails>>(await learner.GetAsync("/v1/billing/invoices")))
            .Should().ContainSingle(i => i.Status == InvoiceStatus.Draft).Subject;
        // 20 of the 30 days from 10 November to 10 December are left: 1900 × 20/30 = 1266.67, 2900 × 20/30 = 1933.33.
        draft.Lines.Select(l => l.AmountMinor).Should().Equal(-1267, 1933);
        draft.TotalMinor.Should().Be(666);
    }

    [Fact]
    public async Task Seats_cannot_drop_below_those_taken()
    {
        var subscription = await _host.SubscribeInstitutionAsync(_institution, seats: 2);
        var id = subscription.GetProperty("id").GetGuid();
        await _host.CreateClient(TestUser.Learner(_institution)).GetAsync("/v1/billing/entitlements/me");
        await _host.CreateClient(TestUser.Learner(_institution)).GetAsync("/v1/billing/entitlements/me");

        var response = await BillingHost.PatchAsync(Admin, $"{Subscriptions}/{id}", new { seats = 1 });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await SubscriptionAsync(id)).Seats.Should().Be(2);
    }

    [Fact]
    public async Task A_cancelled_subscription_entitles_until_its_period_ends_then_expires_and_cannot_be_changed()
    {
        var learner = TestUser.Learner(_institution);
        var id = await _host.ActiveInstitutionSubscriptionAsync(_institution, seats: 2);

        var cancelled = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PostAsync(Admin, $"{Subscriptions}/{id}/cancel", new { atPeriodEnd = true }));

        cancelled.Status.Should().Be(SubscriptionStatus.Cancelled);
        (await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me")))
            .Source.Should().Be(EntitlementSource.Seat);
        await (await BillingHost.PostAsync(Admin, $"{Subscriptions}/{id}/cancel", new { atPeriodEnd = true })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await BillingHost.PatchAsync(Admin, $"{Subscriptions}/{id}", new { seats = 3 })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        _host.Clock.Now = cancelled.CurrentPeriodEnd;
        var summary = await BillingHost.JsonAsync(await _host.ClosePeriodAsync());

        summary.GetProperty("expired").GetInt32().Should().Be(1);
        (await SubscriptionAsync(id)).Status.Should().Be(SubscriptionStatus.Expired);
        (await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me")))
            .Source.Should().Be(EntitlementSource.Free);
        await (await BillingHost.PostAsync(Admin, $"{Subscriptions}/{id}/cancel", new { atPeriodEnd = false })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await InstitutionInvoicesAsync()).Should().ContainSingle("an expired subscription is not invoiced again");
        (await BillingHost.PostAsync(Admin, Subscriptions, new { planCode = "institution-seat", seats = 1 })).StatusCode
            .Should().Be(HttpStatusCode.Created, "after expiry the institution may subscribe again");
    }

    [Fact]
    public async Task Cancelling_now_ends_the_entitlement_at_once()
    {
        var learner = TestUser.Learner(_institution);
        var client = _host.CreateClient(learner);
        var created = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PostAsync(client, Subscriptions, new { planCode = "individual-monthly" }));
        (await BillingHost.ReadAsync<EntitlementAnswer>(await client.GetAsync("/v1/billing/entitlements/me"))).Source.Should().Be(EntitlementSource.Individual);

        var cancelled = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PostAsync(client, $"{Subscriptions}/{created.Id}/cancel", new { atPeriodEnd = false }));

        cancelled.Status.Should().Be(SubscriptionStatus.Expired);
        (await BillingHost.ReadAsync<EntitlementAnswer>(await client.GetAsync("/v1/billing/entitlements/me"))).Source.Should().Be(EntitlementSource.Free);
    }

    [Fact]
    public async Task An_unpaid_invoice_past_the_grace_period_restricts_and_paying_it_restores_the_subscription()
    {
        var learner = TestUser.Learner(_institution);
        var id = await _host.ActiveInstitutionSubscriptionAsync(_institution, seats: 2, provider: BillingHost.Provider);
        var invoice = (await InstitutionInvoicesAsync()).Single();
        await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me");

        var failed = await Webhooks.SendAsync(_host, new { id = "evt_fail", type = "invoice.payment_failed", created = _host.Clock.Now, data = new { invoiceId = invoice.Id, reason = "card_declined" } });
        failed.EnsureSuccessStatusCode();

        var pastDue = await SubscriptionAsync(id);
        pastDue.Status.Should().Be(SubscriptionStatus.PastDue);
        pastDue.GraceEndsAt.Should().Be(_host.Clock.Now.AddDays(7));
        (await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me")))
            .Source.Should().Be(EntitlementSource.Seat, "a past-due subscription entitles during its grace period");

        _host.Clock.Advance(TimeSpan.FromDays(7));
        var summary = await BillingHost.JsonAsync(await _host.ClosePeriodAsync());

        summary.GetProperty("restricted").GetInt32().Should().Be(1);
        (await SubscriptionAsync(id)).Status.Should().Be(SubscriptionStatus.Restricted);
        var refused = await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me"));
        refused.Source.Should().Be(EntitlementSource.Free);
        var usedUp = TestUser.Learner(_institution);
        await _host.InDatabaseAsync(db => db.Database.ExecuteSqlAsync(
            $"INSERT INTO session_starts (session_id, learner_id, institution_id, started_at, covered_by) SELECT gen_random_uuid(), {usedUp.Id}, {_institution}, {_host.Clock.Now}, 'Free' FROM generate_series(1, 3)"));
        var noneLeft = await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(usedUp).GetAsync("/v1/billing/entitlements/me"));
        noneLeft.CanStartSession.Should().BeFalse();
        noneLeft.Remedy.Should().StartWith("Your institution's subscription is restricted for an overdue payment");

        var paid = await BillingHost.ReadAsync<InvoiceDetails>(await BillingHost.PostAsync(PlatformAdmin, $"/v1/billing/invoices/{invoice.Id}/mark-paid"));

        paid.Status.Should().Be(InvoiceStatus.Paid);
        paid.Payments.Should().Contain(p => p.Status == PaymentStatus.Succeeded);
        (await SubscriptionAsync(id)).Status.Should().Be(SubscriptionStatus.Active);
        (await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me")))
            .Source.Should().Be(EntitlementSource.Seat);
        await (await BillingHost.PostAsync(PlatformAdmin, $"/v1/billing/invoices/{invoice.Id}/mark-paid")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await BillingHost.PostAsync(PlatformAdmin, $"/v1/billing/invoices/{invoice.Id}/void")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancelling_a_subscription_whose_grace_period_has_run_out_does_not_restore_access()
    {
        var learner = TestUser.Learner(_institution);
        var id = await _host.ActiveInstitutionSubscriptionAsync(_institution, seats: 2, provider: BillingHost.Provider);
        var invoice = (await InstitutionInvoicesAsync()).Single();
        (await Webhooks.SendAsync(_host, new { id = "evt_fail", type = "payment.failed", created = _host.Clock.Now, data = new { invoiceId = invoice.Id } }))
            .EnsureSuccessStatusCode();
        _host.Clock.Advance(TimeSpan.FromDays(8));

        var cancelled = await BillingHost.ReadAsync<SubscriptionDetails>(await BillingHost.PostAsync(Admin, $"{Subscriptions}/{id}/cancel", new { atPeriodEnd = true }));

        cancelled.Status.Should().Be(SubscriptionStatus.Cancelled);
        (await BillingHost.ReadAsync<EntitlementAnswer>(await _host.CreateClient(learner).GetAsync("/v1/billing/entitlements/me")))
            .Source.Should().Be(EntitlementSource.Free);
    }

    [Fact]
    public async Task The_configured_tax_rate_is_applied_to_the_subtotal()
    {
        await using var taxed = new BillingHost(servers);
        taxed.Settings["Billing:TaxRatePercent"] = "20";
        await taxed.StartAsync();

        var learner = taxed.CreateClient(TestUser.Learner(_institution));
        (await BillingHost.PostAsync(learner, Subscriptions, new { planCode = "individual-monthly" })).EnsureSuccessStatusCode();

        var invoice = (await BillingHost.ReadAsync<List<InvoiceDetails>>(await learner.GetAsync("/v1/billing/invoices"))).Single();
        invoice.SubtotalMinor.Should().Be(1900);
        invoice.TaxRatePercent.Should().Be(20m);
        invoice.TaxMinor.Should().Be(380);
        invoice.TotalMinor.Should().Be(2280);
        (await taxed.InDatabaseAsync(db => db.Payments.SingleAsync())).AmountMinor.Should().Be(2280);
    }

    [Fact]
    public async Task Platform_admins_manage_plans_and_a_deactivated_plan_cannot_be_bought()
    {
        var created = await BillingHost.PostAsync(PlatformAdmin, "/v1/billing/plans",
            new { code = "individual-plus", name = "Individual Plus", audience = "individual", priceMinor = 2900 });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var updated = await BillingHost.JsonAsync(await PlatformAdmin.PutAsync("/v1/billing/plans/individual-plus", BillingHost.Body(new { priceMinor = 3100 })));
        updated.GetProperty("priceMinor").GetInt64().Should().Be(3100);
        await (await BillingHost.PostAsync(PlatformAdmin, "/v1/billing/plans",
            new { code = "individual-plus", name = "Again", audience = "individual", priceMinor = 1 })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        (await BillingHost.PostAsync(PlatformAdmin, "/v1/billing/plans/individual-plus/deactivate")).EnsureSuccessStatusCode();

        await (await BillingHost.PostAsync(_host.CreateClient(TestUser.Learner(_institution)), Subscriptions, new { planCode = "individual-plus" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}

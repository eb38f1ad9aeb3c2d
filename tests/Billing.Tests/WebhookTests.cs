using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

/// <summary>Sends provider webhooks the way a provider signs them.</summary>
public static class Webhooks
{
    public static string Path(string provider = BillingHost.Provider) => $"/v1/billing/webhooks/{provider}";

    public static async Task<HttpResponseMessage> SendAsync(BillingHost host, object @event, string? secret = null, DateTimeOffset? signedAt = null, string? header = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(@event, BillingHost.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, Path()) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        var signature = header ?? WebhookSignature.Header((signedAt ?? host.Clock.Now).ToUnixTimeSeconds(), body, secret ?? BillingHost.WebhookSecret);
        if (signature.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
        }

        return await host.CreateClient().SendAsync(request);
    }
}

/// <summary>The webhook endpoint: signatures checked (missing, malformed, wrong, too old), each provider event applied
/// once, and events arriving out of order never moving a paid invoice or a newer state back.</summary>
[Collection(ServersCollection.Name)]
public sealed class WebhookTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly BillingHost _host = new(servers);
    private readonly Guid _institution = Guid.CreateVersion7();
    private Guid _subscriptionId;
    private Guid _invoiceId;

    public async Task InitializeAsync()
    {
        await _host.StartAsync();
        _subscriptionId = await _host.ActiveInstitutionSubscriptionAsync(_institution, seats: 4, provider: BillingHost.Provider);
        _invoiceId = await _host.InDatabaseAsync(db => db.Invoices.Where(i => i.SubscriptionId == _subscriptionId).Select(i => i.Id).SingleAsync());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private object Paid(string id, DateTimeOffset? created = null) =>
        new { id, type = "invoice.paid", created = created ?? _host.Clock.Now, data = new { invoiceId = _invoiceId, paymentId = "pay_1" } };

    private object Failed(string id, DateTimeOffset created) =>
        new { id, type = "invoice.payment_failed", created, data = new { invoiceId = _invoiceId, reason = "insufficient_funds" } };

    private Task<Invoice> InvoiceAsync() => _host.InDatabaseAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.Id == _invoiceId));

    private Task<Subscription> SubscriptionAsync() => _host.InDatabaseAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == _subscriptionId));

    [Fact]
    public async Task A_validly_signed_invoice_paid_event_pays_the_invoice()
    {
        var response = await Webhooks.SendAsync(_host, Paid("evt_1"));

        var outcome = await BillingHost.JsonAsync(response);
        outcome.GetProperty("duplicate").GetBoolean().Should().BeFalse();
        outcome.GetProperty("outcome").GetString().Should().Be("invoice paid");
        (await InvoiceAsync()).Status.Should().Be(InvoiceStatus.Paid);
        (await _host.InDatabaseAsync(db => db.Payments.SingleAsync(p => p.InvoiceId == _invoiceId))).Status.Should().Be(PaymentStatus.Succeeded);
    }

    [Theory]
    [InlineData("missing header", HttpStatusCode.BadRequest)]
    [InlineData("malformed header", HttpStatusCode.BadRequest)]
    [InlineData("wrong secret", HttpStatusCode.Unauthorized)]
    [InlineData("timestamp six minutes old", HttpStatusCode.Unauthorized)]
    [InlineData("timestamp six minutes ahead", HttpStatusCode.Unauthorized)]
    public async Task A_webhook_that_is_not_validly_signed_is_refused_and_changes_nothing(string signature, HttpStatusCode expected)
    {
        var response = signature switch
        {
            "missing header" => await Webhooks.SendAsync(_host, Paid("evt_bad"), header: ""),
            "malformed header" => await Webhooks.SendAsync(_host, Paid("evt_bad"), header: "v1=abc"),
            "wrong secret" => await Webhooks.SendAsync(_host, Paid("evt_bad"), secret: "whsec_someone_else_entirely_000"),
            "timestamp six minutes old" => await Webhooks.SendAsync(_host, Paid("evt_bad"), signedAt: _host.Clock.Now.AddMinutes(-6)),
            _ => await Webhooks.SendAsync(_host, Paid("evt_bad"), signedAt: _host.Clock.Now.AddMinutes(6)),
        };

        await response.ShouldBeProblemAsync(expected);
        (await InvoiceAsync()).Status.Should().Be(InvoiceStatus.Open);
        (await _host.InDatabaseAsync(db => db.ProcessedProviderEvents.CountAsync())).Should().Be(0);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(Paid("evt_1"), BillingHost.Json);
        var header = WebhookSignature.Header(_host.Clock.Now.ToUnixTimeSeconds(), body, BillingHost.WebhookSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhooks.Path())
        {
            Content = new StringContent(Encoding.UTF8.GetString(body).Replace("pay_1", "pay_2", StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, header);

        var response = await _host.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await InvoiceAsync()).Status.Should().Be(InvoiceStatus.Open);
    }

    [Fact]
    public async Task A_provider_without_a_configured_secret_is_a_404_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhooks.Path("nobody")) { Content = BillingHost.Body(Paid("evt_1")) };

        await (await _host.CreateClient().SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_an_event_is_a_400_problem()
    {
        await (await Webhooks.SendAsync(_host, new { hello = "world" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_same_event_id_twice_has_one_effect()
    {
        var first = await BillingHost.JsonAsync(await Webhooks.SendAsync(_host, Failed("evt_once", _host.Clock.Now)));
        var again = await BillingHost.JsonAsync(await Webhooks.SendAsync(_host, Failed("evt_once", _host.Clock.Now)));

        first.GetProperty("duplicate").GetBoolean().Should().BeFalse();
        again.GetProperty("duplicate").GetBoolean().Should().BeTrue();
        again.GetProperty("outcome").GetString().Should().Be(first.GetProperty("outcome").GetString());
        (await _host.InDatabaseAsync(db => db.Payments.CountAsync(p => p.InvoiceId == _invoiceId && p.Status == PaymentStatus.Failed))).Should().Be(1);
        var published = await BillingHost.EventuallyAsync(() => _host.PublishedAsync("EntitlementChanged"), e => e.Count >= 2);
        published.Count(e => e.GetProperty("reason").GetString()!.Contains("past due", StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public async Task The_same_event_delivered_concurrently_is_applied_once()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Webhooks.SendAsync(_host, Paid("evt_race"))));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        (await _host.InDatabaseAsync(db => db.Payments.CountAsync(p => p.InvoiceId == _invoiceId && p.Status == PaymentStatus.Succeeded))).Should().Be(1);
    }

    [Fact]
    public async Task An_older_payment_failed_arriving_after_invoice_paid_does_not_move_the_paid_invoice_back()
    {
        var failedAt = _host.Clock.Now;
        var paidAt = failedAt.AddMinutes(1);
        _host.Clock.Now = paidAt.AddSeconds(5);

        await Webhooks.SendAsync(_host, Paid("evt_paid", paidAt));
        var late = await BillingHost.JsonAsync(await Webhooks.SendAsync(_host, Failed("evt_failed", failedAt)));

        late.GetProperty("outcome").GetString().Should().StartWith("ignored");
        (await InvoiceAsync()).Status.Should().Be(InvoiceStatus.Paid);
        var subscription = await SubscriptionAsync();
        subscription.Status.Should().Be(SubscriptionStatus.Active);
        subscription.GraceEndsAt.Should().BeNull();
    }

    [Fact]
    public async Task A_failure_older_than_a_cancellation_already_applied_does_not_make_the_subscription_past_due()
    {
        var failedAt = _host.Clock.Now;
        var cancelledAt = failedAt.AddMinutes(2);
        _host.Clock.Now = cancelledAt.AddSeconds(5);

        await Webhooks.SendAsync(_host, new { id = "evt_cancel", type = "subscription.cancelled", created = cancelledAt, data = new { subscriptionId = _subscriptionId } });
        await Webhooks.SendAsync(_host, Failed("evt_failed", failedAt));

        (await SubscriptionAsync()).Status.Should().Be(SubscriptionStatus.Cancelled);
    }

    [Fact]
    public async Task A_failed_payment_then_a_later_success_leaves_the_subscription_active()
    {
        var failedAt = _host.Clock.Now;
        await Webhooks.SendAsync(_host, Failed("evt_f", failedAt));
        (await SubscriptionAsync()).Status.Should().Be(SubscriptionStatus.PastDue);
        _host.Clock.Advance(TimeSpan.FromHours(1));

        await Webhooks.SendAsync(_host, Paid("evt_p"));

        (await SubscriptionAsync()).Status.Should().Be(SubscriptionStatus.Active);
        (await InvoiceAsync()).Status.Should().Be(InvoiceStatus.Paid);
    }

    [Fact]
    public async Task Events_for_another_providers_invoice_change_nothing()
    {
        var learner = _host.CreateClient(TestUser.Learner(_institution));
        (await BillingHost.PostAsync(learner, "/v1/billing/subscriptions", new { planCode = "individual-monthly" })).EnsureSuccessStatusCode();
        var manualInvoice = (await BillingHost.ReadAsync<List<InvoiceDetails>>(await learner.GetAsync("/v1/billing/invoices"))).Single();

        var outcome = await BillingHost.JsonAsync(await Webhooks.SendAsync(_host,
            new { id = "evt_x", type = "invoice.paid", created = _host.Clock.Now, data = new { invoiceId = manualInvoice.Id } }));

        outcome.GetProperty("outcome").GetString().Should().StartWith("ignored");
        (await _host.InDatabaseAsync(db => db.Invoices.SingleAsync(i => i.Id == manualInvoice.Id))).Status.Should().Be(InvoiceStatus.Open);
    }
}

using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Model;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>
/// A provider's event as it arrives: <c>{ "id", "type", "created", "data": { "invoiceId", "subscriptionId",
/// "paymentId", "reason", "atPeriodEnd" } }</c>, <c>created</c> an ISO 8601 time or unix seconds.
/// </summary>
public sealed record ProviderEvent(string Id, string Type, DateTimeOffset Created, ProviderEventData Data)
{
    /// <summary>The event, or null when the body is not one.</summary>
    public static ProviderEvent? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString()) ||
                id.GetString()!.Length > 200 ||
                !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(type.GetString()) ||
                !root.TryGetProperty("created", out var created) || CreatedAt(created) is not { } at)
            {
                return null;
            }

            var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
                ? new ProviderEventData(
                    Guid(d, "invoiceId"),
                    Guid(d, "subscriptionId"),
                    Text(d, "paymentId"),
                    Text(d, "reason"),
                    !d.TryGetProperty("atPeriodEnd", out var atEnd) || atEnd.ValueKind != JsonValueKind.False)
                : new ProviderEventData(null, null, null, null, true);
            return new ProviderEvent(id.GetString()!, type.GetString()!.Trim().ToLowerInvariant(), at, data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? CreatedAt(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var seconds) && seconds is > 0 and < 253_402_300_799 =>
            DateTimeOffset.FromUnixTimeSeconds(seconds),
        JsonValueKind.String when DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) =>
            at.ToUniversalTime(),
        _ => null,
    };

    private static Guid? Guid(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && System.Guid.TryParse(value.GetString(), out var id) ? id : null;

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public sealed record ProviderEventData(Guid? InvoiceId, Guid? SubscriptionId, string? PaymentId, string? Reason, bool AtPeriodEnd);

public sealed record WebhookOutcome(string EventId, bool Duplicate, string Outcome);

/// <summary>
/// Applies a verified provider event once: (provider, event id) is inserted into <c>processed_provider_events</c> in
/// the same transaction as the event's effect, so a replay, or the same event arriving twice at once, has one effect.
/// Events that name another provider's (or no) invoice or subscription change nothing.
/// </summary>
public sealed class ProviderWebhooks(BillingDbContext db, PaymentOutcomes payments, EntitlementNotices notices, TimeProvider time)
{
    public Task<WebhookOutcome> ApplyAsync(string provider, ProviderEvent @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return db.InTransactionAsync(async token =>
        {
            var now = time.GetUtcNow();
            var recorded = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO processed_provider_events (provider, event_id, type, created, received_at, outcome) VALUES ({provider}, {@event.Id}, {@event.Type}, {@event.Created}, {now}, {"processing"}) ON CONFLICT DO NOTHING",
                token);
            if (recorded == 0)
            {
                var earlier = await db.ProcessedProviderEvents.AsNoTracking()
                    .SingleAsync(e => e.Provider == provider && e.EventId == @event.Id, token);
                return new WebhookOutcome(@event.Id, true, earlier.Outcome);
            }

            var outcome = await ApplyOnceAsync(provider, @event, token);
            await db.SaveChangesAsync(token);
            await db.Database.ExecuteSqlAsync(
                $"UPDATE processed_provider_events SET outcome = {Shorten(outcome)} WHERE provider = {provider} AND event_id = {@event.Id}", token);
            return new WebhookOutcome(@event.Id, false, outcome);
        }, cancellationToken);
    }

    private async Task<string> ApplyOnceAsync(string provider, ProviderEvent @event, CancellationToken cancellationToken)
    {
        switch (@event.Type)
        {
            case "invoice.paid" or "payment.succeeded":
            case "invoice.payment_failed" or "payment.failed":
            {
                if (@event.Data.InvoiceId is not { } invoiceId)
                {
                    return "ignored: data.invoiceId is missing";
                }

                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM invoices WHERE id = {invoiceId} FOR UPDATE", cancellationToken);
                var invoice = await db.Invoices.SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
                if (invoice is null || !await IsProvidersAsync(invoice.SubscriptionId, provider, cancellationToken))
                {
                    return "ignored: no such invoice of this provider";
                }

                if (@event.Type is "invoice.paid" or "payment.succeeded")
                {
                    return invoice.Status == InvoiceStatus.Void
                        ? "ignored: the invoice is void"
                        : invoice.Status == InvoiceStatus.Draft
                            ? "ignored: the invoice is a draft"
                            : await payments.PaidAsync(invoice, provider, @event.Data.PaymentId, @event.Created, cancellationToken);
                }

                return await payments.FailedAsync(invoice, provider, @event.Data.Reason, @event.Created, cancellationToken);
            }

            case "subscription.cancelled" or "subscription.canceled":
            {
                if (@event.Data.SubscriptionId is not { } subscriptionId)
                {
                    return "ignored: data.subscriptionId is missing";
                }

                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM subscriptions WHERE id = {subscriptionId} FOR UPDATE", cancellationToken);
                var subscription = await db.Subscriptions.Include(s => s.Plan).SingleOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
                if (subscription is null || !string.Equals(subscription.PaymentProvider, provider, StringComparison.OrdinalIgnoreCase))
                {
                    return "ignored: no such subscription of this provider";
                }

                if (subscription.ProviderEventAt is { } last && @event.Created < last)
                {
                    return "ignored: older than the subscription's last event";
                }

                subscription.ProviderEventAt = @event.Created;
                if (subscription.Status is SubscriptionStatus.Cancelled or SubscriptionStatus.Expired)
                {
                    return "ignored: already cancelled";
                }

                SubscriptionRules.Cancel(subscription, @event.Data.AtPeriodEnd, time.GetUtcNow());
                notices.SubscriptionChanged(subscription, "cancelled by the payment provider");
                return subscription.Status == SubscriptionStatus.Expired ? "subscription cancelled now" : "subscription cancelled at period end";
            }

            default:
                return "ignored: unknown event type";
        }
    }

    private Task<bool> IsProvidersAsync(Guid subscriptionId, string provider, CancellationToken cancellationToken) =>
        db.Subscriptions.AnyAsync(s => s.Id == subscriptionId && s.PaymentProvider == provider, cancellationToken);

    private static string Shorten(string outcome) => outcome.Length <= 200 ? outcome : outcome[..200];
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.Billing.Model;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>
/// What a payment's outcome does to the invoice and the subscription, the same whether a platform admin marks a bank
/// transfer received or a provider's webhook reports it. Outcomes may arrive late and out of order: a paid or void
/// invoice never moves back, and an event older than the newest one applied to an object (<c>eventAt</c>) leaves
/// that object alone.
/// </summary>
public sealed class PaymentOutcomes(BillingDbContext db, EntitlementNotices notices, TimeProvider time, IOptions<BillingOptions> options)
{
    /// <summary>Open → paid; a past-due or restricted subscription becomes active again.</summary>
    public async Task<string> PaidAsync(Invoice invoice, string provider, string? providerPaymentId, DateTimeOffset? eventAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (invoice.Status is InvoiceStatus.Paid)
        {
            return "ignored: the invoice is already paid";
        }

        if (invoice.Status is not InvoiceStatus.Open)
        {
            throw new InvoiceStateException($"Invoice {invoice.Number ?? invoice.Id.ToString()} is {invoice.Status.ToString().ToLowerInvariant()}; only an open invoice can be paid.");
        }

        var now = time.GetUtcNow();
        invoice.Status = InvoiceStatus.Paid;
        invoice.PaidAt = now;
        invoice.ProviderEventAt = Later(invoice.ProviderEventAt, eventAt);
        var payment = await PaymentAsync(invoice, provider, cancellationToken);
        payment.Status = PaymentStatus.Succeeded;
        payment.ProviderPaymentId ??= providerPaymentId;
        payment.Detail = "Paid.";
        payment.UpdatedAt = now;

        var subscription = await db.Subscriptions.Include(s => s.Plan).SingleAsync(s => s.Id == invoice.SubscriptionId, cancellationToken);
        if (!IsStale(subscription.ProviderEventAt, eventAt))
        {
            subscription.ProviderEventAt = Later(subscription.ProviderEventAt, eventAt);
            if (subscription.Status is SubscriptionStatus.PastDue or SubscriptionStatus.Restricted &&
                !await db.Invoices.AnyAsync(i => i.SubscriptionId == subscription.Id && i.Id != invoice.Id && i.Status == InvoiceStatus.Open, cancellationToken))
            {
                subscription.Status = SubscriptionStatus.Active;
                subscription.GraceEndsAt = null;
                notices.SubscriptionChanged(subscription, "payment received; active again");
            }
        }

        return "invoice paid";
    }

    /// <summary>The payment failed: the invoice stays open and an active subscription becomes past due with a grace
    /// deadline, after which it is restricted.</summary>
    public async Task<string> FailedAsync(Invoice invoice, string provider, string? reason, DateTimeOffset? eventAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (invoice.Status is InvoiceStatus.Paid or InvoiceStatus.Void)
        {
            return $"ignored: the invoice is already {invoice.Status.ToString().ToLowerInvariant()}";
        }

        if (IsStale(invoice.ProviderEventAt, eventAt))
        {
            return "ignored: older than the invoice's last event";
        }

        var now = time.GetUtcNow();
        invoice.ProviderEventAt = Later(invoice.ProviderEventAt, eventAt);
        var payment = await PaymentAsync(invoice, provider, cancellationToken);
        payment.Status = PaymentStatus.Failed;
        payment.Detail = string.IsNullOrWhiteSpace(reason) ? "The payment failed." : $"The payment failed: {reason}";
        payment.UpdatedAt = now;

        var subscription = await db.Subscriptions.Include(s => s.Plan).SingleAsync(s => s.Id == invoice.SubscriptionId, cancellationToken);
        if (IsStale(subscription.ProviderEventAt, eventAt))
        {
            return "payment failed; the subscription has newer events";
        }

        subscription.ProviderEventAt = Later(subscription.ProviderEventAt, eventAt);
        if (subscription.Status is SubscriptionStatus.Active or SubscriptionStatus.Trialing)
        {
            subscription.Status = SubscriptionStatus.PastDue;
            subscription.GraceEndsAt = now + options.Value.PaymentGracePeriod;
            notices.SubscriptionChanged(subscription, "payment failed; past due");
            return "payment failed; subscription past due";
        }

        return "payment failed";
    }

    private async Task<Payment> PaymentAsync(Invoice invoice, string provider, CancellationToken cancellationToken)
    {
        var payment = await db.Payments
            .Where(p => p.InvoiceId == invoice.Id && p.Status == PaymentStatus.Pending)
            .OrderByDescending(p => p.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (payment is null)
        {
            var now = time.GetUtcNow();
            payment = new Payment
            {
                InvoiceId = invoice.Id,
                Provider = provider,
                AmountMinor = invoice.TotalMinor,
                Currency = invoice.Currency,
                Status = PaymentStatus.Pending,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Payments.Add(payment);
        }

        return payment;
    }

    private static bool IsStale(DateTimeOffset? applied, DateTimeOffset? eventAt) =>
        applied is { } last && eventAt is { } at && at < last;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.Billing.Model;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>A change the invoice's state does not allow (finalising an open invoice, paying a void one).</summary>
public sealed class InvoiceStateException(string message) : InvalidOperationException(message);

/// <summary>
/// Builds and finalises invoices. A subscription's draft collects the lines of its next invoice (proration now, the
/// next period's fee at period close). Finalising (draft → open) takes the year's next number from
/// <c>invoice_number_counters</c> with <c>UPDATE ... RETURNING</c> in the finalising transaction: concurrent
/// finalisations queue on the counter row, and a rollback returns the number, so numbers have neither gaps nor
/// duplicates (a sequence would leave gaps).
/// </summary>
public sealed class Invoicing(BillingDbContext db, TimeProvider time, IOptions<BillingOptions> options, PaymentProviders providers)
{
    /// <summary>The subscription's draft invoice for the period after the current one, created when missing.</summary>
    public async Task<Invoice> UpcomingDraftAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var draft = await db.Invoices.Include(i => i.Lines)
            .Where(i => i.SubscriptionId == subscription.Id && i.Status == InvoiceStatus.Draft)
            .OrderBy(i => i.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return draft ?? NewDraft(subscription, subscription.CurrentPeriodEnd, BillingPeriods.NextPeriodEnd(subscription.BillingAnchor, subscription.CurrentPeriodEnd));
    }

    public Invoice NewDraft(Subscription subscription, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var draft = new Invoice
        {
            SubscriptionId = subscription.Id,
            SubscriberKind = subscription.SubscriberKind,
            UserId = subscription.UserId,
            InstitutionId = subscription.InstitutionId,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            Status = InvoiceStatus.Draft,
            Currency = subscription.Plan.Currency,
            CreatedAt = time.GetUtcNow(),
        };
        db.Invoices.Add(draft);
        return draft;
    }

    /// <summary>The fee for a period: seats × the plan's price.</summary>
    public void AddFee(Invoice invoice, Subscription subscription, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(subscription);
        var plan = subscription.Plan;
        var quantity = plan.PricedPerSeat ? subscription.Seats : 1;
        var line = new InvoiceLine
        {
            InvoiceId = invoice.Id,
            Kind = InvoiceLineKind.Subscription,
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{quantity} × {plan.Name} ({periodStart:d MMM yyyy} to {periodEnd:d MMM yyyy})"),
            Quantity = quantity,
            UnitAmountMinor = plan.PriceMinor,
            AmountMinor = plan.PriceMinor * quantity,
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
        };
        invoice.AddLine(line);
        db.InvoiceLines.Add(line);
        invoice.Recalculate(options.Value.TaxRatePercent);
    }

    public void AddProration(Invoice invoice, IEnumerable<ProrationLine> lines, DateTimeOffset changeAt, DateTimeOffset periodEnd)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var proration in lines)
        {
            var line = new InvoiceLine
            {
                InvoiceId = invoice.Id,
                Kind = InvoiceLineKind.Proration,
                Description = proration.Description,
                Quantity = proration.Quantity,
                UnitAmountMinor = proration.UnitAmountMinor,
                AmountMinor = proration.AmountMinor,
                PeriodStart = changeAt,
                PeriodEnd = periodEnd,
            };
            invoice.AddLine(line);
            db.InvoiceLines.Add(line);
        }

        invoice.Recalculate(options.Value.TaxRatePercent);
    }

    /// <summary>Draft → open with the year's next number, then asks the subscription's provider to collect it (an
    /// invoice of nothing is paid at once). Runs in the caller's transaction or its own; save pending changes first.</summary>
    public Task<Invoice> FinaliseAsync(Guid invoiceId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async token =>
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM invoices WHERE id = {invoiceId} FOR UPDATE", token);
            var invoice = await LoadAsync(invoiceId, token) ?? throw new InvoiceStateException($"There is no invoice {invoiceId}.");
            if (invoice.Status != InvoiceStatus.Draft)
            {
                throw new InvoiceStateException($"Invoice {invoice.Number} is {invoice.Status.ToString().ToLowerInvariant()}; only a draft can be finalised.");
            }

            var now = time.GetUtcNow();
            var year = now.UtcDateTime.Year;
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO invoice_number_counters (year, last_number) VALUES ({year}, 0) ON CONFLICT DO NOTHING", token);
            var numbers = await db.Database
                .SqlQuery<int>($"UPDATE invoice_number_counters SET last_number = last_number + 1 WHERE year = {year} RETURNING last_number AS \"Value\"")
                .ToListAsync(token);

            invoice.Number = string.Create(CultureInfo.InvariantCulture, $"INV-{year}-{numbers[0]:D6}");
            invoice.Status = InvoiceStatus.Open;
            invoice.FinalisedAt = now;
            invoice.Recalculate(options.Value.TaxRatePercent);

            var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == invoice.SubscriptionId, token);
            if (invoice.TotalMinor <= 0)
            {
                invoice.Status = InvoiceStatus.Paid;
                invoice.PaidAt = now;
            }
            else if (providers.Find(subscription.PaymentProvider) is { } provider)
            {
                var request = await provider.RequestPaymentAsync(invoice, token);
                db.Payments.Add(new Payment
                {
                    InvoiceId = invoice.Id,
                    Provider = provider.Name,
                    ProviderPaymentId = request.ProviderPaymentId,
                    AmountMinor = invoice.TotalMinor,
                    Currency = invoice.Currency,
                    Status = PaymentStatus.Pending,
                    Detail = request.Detail,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }

            await db.SaveChangesAsync(token);
            return invoice;
        }, cancellationToken);

    /// <summary>The invoice with its lines, read again from the database even when it is tracked already.</summary>
    public async Task<Invoice?> LoadAsync(Guid invoiceId, CancellationToken cancellationToken)
    {
        var tracked = db.ChangeTracker.Entries<Invoice>().FirstOrDefault(e => e.Entity.Id == invoiceId);
        if (tracked is not null)
        {
            await tracked.ReloadAsync(cancellationToken);
            return tracked.Entity;
        }

        return await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
    }
}

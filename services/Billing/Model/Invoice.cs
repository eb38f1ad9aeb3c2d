namespace PracticePlatform.Billing.Model;

public enum InvoiceStatus
{
    Draft,
    Open,
    Paid,
    Void,
}

public enum InvoiceLineKind
{
    Subscription,
    Proration,
    Usage,
}

public enum PaymentStatus
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>A subscription's bill for one period. A draft collects lines (the next period's fee, proration) and gets its
/// number only when finalised.</summary>
public sealed class Invoice
{
    private readonly List<InvoiceLine> _lines = [];

    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>"INV-2026-000001": sequential per year without gaps, allocated when the invoice is finalised.</summary>
    public string? Number { get; set; }

    public Guid SubscriptionId { get; init; }

    public SubscriberKind SubscriberKind { get; init; }

    public Guid? UserId { get; init; }

    public Guid? InstitutionId { get; init; }

    public DateTimeOffset PeriodStart { get; set; }

    public DateTimeOffset PeriodEnd { get; set; }

    public InvoiceStatus Status { get; set; }

    public string Currency { get; set; } = "USD";

    public long SubtotalMinor { get; set; }

    public decimal TaxRatePercent { get; set; }

    public long TaxMinor { get; set; }

    public long TotalMinor { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinalisedAt { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public DateTimeOffset? VoidedAt { get; set; }

    /// <summary>The creation time of the newest provider event applied to it.</summary>
    public DateTimeOffset? ProviderEventAt { get; set; }

    public IReadOnlyList<InvoiceLine> Lines => _lines;

    public void AddLine(InvoiceLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Position = _lines.Count == 0 ? 1 : _lines.Max(l => l.Position) + 1;
        _lines.Add(line);
    }

    /// <summary>Subtotal of the lines, tax on the subtotal (rounded half away from zero), total.</summary>
    public void Recalculate(decimal taxRatePercent)
    {
        SubtotalMinor = _lines.Sum(l => l.AmountMinor);
        TaxRatePercent = taxRatePercent;
        TaxMinor = (long)Math.Round(SubtotalMinor * taxRatePercent / 100m, MidpointRounding.AwayFromZero);
        TotalMinor = SubtotalMinor + TaxMinor;
    }
}

public sealed class InvoiceLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid InvoiceId { get; init; }

    /// <summary>The line's place on the invoice, in the order the lines were added.</summary>
    public int Position { get; set; }

    public InvoiceLineKind Kind { get; init; }

    public required string Description { get; init; }

    public int Quantity { get; init; }

    public long UnitAmountMinor { get; init; }

    public long AmountMinor { get; init; }

    public DateTimeOffset? PeriodStart { get; init; }

    public DateTimeOffset? PeriodEnd { get; init; }
}

/// <summary>The last invoice number given out in a year; updated in the finalising transaction, so a rollback gives
/// the number back and concurrent finalisations queue on the row.</summary>
public sealed class InvoiceNumberCounter
{
    public int Year { get; init; }

    public int LastNumber { get; set; }
}

/// <summary>An attempt to collect an invoice through a payment provider.</summary>
public sealed class Payment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid InvoiceId { get; init; }

    public required string Provider { get; init; }

    public string? ProviderPaymentId { get; set; }

    public long AmountMinor { get; init; }

    public string Currency { get; init; } = "USD";

    public PaymentStatus Status { get; set; }

    public string? Detail { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record InvoiceLineDetails(
    InvoiceLineKind Kind, string Description, int Quantity, long UnitAmountMinor, long AmountMinor, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd);

public sealed record PaymentDetails(Guid Id, string Provider, string? ProviderPaymentId, long AmountMinor, PaymentStatus Status, string? Detail, DateTimeOffset CreatedAt);

public sealed record InvoiceDetails(
    Guid Id,
    string? Number,
    Guid SubscriptionId,
    Guid? UserId,
    Guid? InstitutionId,
    InvoiceStatus Status,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    string Currency,
    long SubtotalMinor,
    decimal TaxRatePercent,
    long TaxMinor,
    long TotalMinor,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinalisedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? VoidedAt,
    IReadOnlyList<InvoiceLineDetails> Lines,
    IReadOnlyList<PaymentDetails> Payments)
{
    public static InvoiceDetails From(Invoice i, IEnumerable<Payment>? payments = null) => new(
        i.Id, i.Number, i.SubscriptionId, i.UserId, i.InstitutionId, i.Status, i.PeriodStart, i.PeriodEnd, i.Currency,
        i.SubtotalMinor, i.TaxRatePercent, i.TaxMinor, i.TotalMinor, i.CreatedAt, i.FinalisedAt, i.PaidAt, i.VoidedAt,
        i.Lines.OrderBy(l => l.Position).Select(l => new InvoiceLineDetails(l.Kind, l.Description, l.Quantity, l.UnitAmountMinor, l.AmountMinor, l.PeriodStart, l.PeriodEnd)).ToList(),
        (payments ?? []).OrderBy(p => p.CreatedAt)
            .Select(p => new PaymentDetails(p.Id, p.Provider, p.ProviderPaymentId, p.AmountMinor, p.Status, p.Detail, p.CreatedAt)).ToList());
}

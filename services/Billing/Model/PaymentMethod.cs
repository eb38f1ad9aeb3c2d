namespace PracticePlatform.Billing.Model;

/// <summary>A way to pay, kept only as the provider's references (customer, payment method, billing address) plus the
/// brand and last four digits for display: never a card number.</summary>
public sealed class PaymentMethod
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public SubscriberKind OwnerKind { get; init; }

    public Guid? UserId { get; init; }

    public Guid? InstitutionId { get; init; }

    public required string Provider { get; init; }

    public required string ProviderCustomerId { get; init; }

    public string? ProviderPaymentMethodId { get; init; }

    public string? ProviderBillingAddressId { get; init; }

    public string? Brand { get; init; }

    public string? Last4 { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record PaymentMethodDetails(
    Guid Id, SubscriberKind OwnerKind, Guid? UserId, Guid? InstitutionId, string Provider, string ProviderCustomerId,
    string? ProviderPaymentMethodId, string? ProviderBillingAddressId, string? Brand, string? Last4, DateTimeOffset CreatedAt)
{
    public static PaymentMethodDetails From(PaymentMethod m) => new(
        m.Id, m.OwnerKind, m.UserId, m.InstitutionId, m.Provider, m.ProviderCustomerId, m.ProviderPaymentMethodId,
        m.ProviderBillingAddressId, m.Brand, m.Last4, m.CreatedAt);
}

/// <summary>A provider webhook event already processed: (provider, event id) is unique, so a replay has no effect.</summary>
public sealed class ProcessedProviderEvent
{
    public required string Provider { get; init; }

    public required string EventId { get; init; }

    public required string Type { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public required string Outcome { get; set; }
}

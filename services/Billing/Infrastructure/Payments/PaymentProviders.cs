using Microsoft.Extensions.Options;
using PracticePlatform.Billing.Model;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>What a provider says when asked to collect an invoice.</summary>
public sealed record PaymentRequest(string? ProviderPaymentId, string Detail);

/// <summary>Something that collects invoices. The outcome arrives later: a platform admin marking a bank transfer
/// received (manual), or the provider's signed webhook.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    /// <summary>Whether the provider reports outcomes through <c>POST /v1/billing/webhooks/{name}</c>.</summary>
    bool SendsWebhooks { get; }

    Task<PaymentRequest> RequestPaymentAsync(Invoice invoice, CancellationToken cancellationToken);
}

/// <summary>Bank transfer: works offline; the invoice stays open until a platform admin marks it paid.</summary>
public sealed class ManualPaymentProvider : IPaymentProvider
{
    public const string ProviderName = "manual";

    public string Name => ProviderName;

    public bool SendsWebhooks => false;

    public Task<PaymentRequest> RequestPaymentAsync(Invoice invoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return Task.FromResult(new PaymentRequest(null, $"Awaiting a bank transfer quoting {invoice.Number}."));
    }
}

/// <summary>An external provider configured under <c>Billing:Providers:{name}</c>: it charges the customer's stored
/// payment method on its side and reports the outcome by webhook.</summary>
public sealed class WebhookPaymentProvider(string name) : IPaymentProvider
{
    public string Name { get; } = name;

    public bool SendsWebhooks => true;

    public Task<PaymentRequest> RequestPaymentAsync(Invoice invoice, CancellationToken cancellationToken) =>
        Task.FromResult(new PaymentRequest(null, $"Awaiting {Name}'s webhook."));
}

/// <summary>The providers by name: the built-in manual one and every configured webhook provider.</summary>
public sealed class PaymentProviders(IOptions<BillingOptions> options)
{
    private readonly ManualPaymentProvider _manual = new();

    public IPaymentProvider? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || string.Equals(name, ManualPaymentProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return _manual;
        }

        return options.Value.Providers.TryGetValue(name, out var settings) && !string.IsNullOrWhiteSpace(settings.WebhookSecret)
            ? new WebhookPaymentProvider(name.ToLowerInvariant())
            : null;
    }

    public string? WebhookSecret(string provider) =>
        options.Value.Providers.TryGetValue(provider, out var settings) && !string.IsNullOrWhiteSpace(settings.WebhookSecret)
            ? settings.WebhookSecret
            : null;
}

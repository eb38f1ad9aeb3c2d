using Microsoft.Extensions.Options;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>The "Billing" section.</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing";

    /// <summary>How long a past-due subscription keeps entitling before it is restricted.</summary>
    public TimeSpan PaymentGracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The trial of a new institution subscription.</summary>
    public int TrialDays { get; set; } = 14;

    /// <summary>Tax applied to every invoice's subtotal, in percent (0 to 100).</summary>
    public decimal TaxRatePercent { get; set; }

    /// <summary>A webhook whose signed timestamp is further than this from now is refused (a replay of an old capture).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an entitlement answer stays in Redis at most; changes invalidate it at once.</summary>
    public TimeSpan EntitlementCacheTimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every key of the entitlement cache starts with it.</summary>
    public string CacheKeyPrefix { get; set; } = "billing:entitlement";

    /// <summary>Whether the period-close job runs in the background (it can always be run with
    /// <c>POST /v1/billing/admin/close-period</c>).</summary>
    public bool PeriodCloseJobEnabled { get; set; } = true;

    public TimeSpan PeriodCloseInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The payment providers that send webhooks, by name: <c>Billing:Providers:{name}:WebhookSecret</c>.</summary>
    public Dictionary<string, PaymentProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class PaymentProviderOptions
{
    /// <summary>The shared secret the provider signs webhooks with.</summary>
    public string? WebhookSecret { get; set; }
}

internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = new List<string>();
        if (options.PaymentGracePeriod < TimeSpan.Zero)
        {
            failures.Add("Billing:PaymentGracePeriod must not be negative.");
        }

        if (options.TrialDays is < 0 or > 365)
        {
            failures.Add("Billing:TrialDays must be between 0 and 365.");
        }

        if (options.TaxRatePercent is < 0 or > 100)
        {
            failures.Add("Billing:TaxRatePercent must be between 0 and 100.");
        }

        if (options.WebhookTolerance <= TimeSpan.Zero)
        {
            failures.Add("Billing:WebhookTolerance must be positive.");
        }

        if (options.EntitlementCacheTimeToLive <= TimeSpan.Zero)
        {
            failures.Add("Billing:EntitlementCacheTimeToLive must be positive.");
        }

        if (options.PeriodCloseInterval <= TimeSpan.Zero)
        {
            failures.Add("Billing:PeriodCloseInterval must be positive.");
        }

        foreach (var (provider, settings) in options.Providers)
        {
            if (string.Equals(provider, ManualPaymentProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add("Billing:Providers:manual is built in and takes no webhooks.");
            }
            else if (string.IsNullOrWhiteSpace(settings.WebhookSecret) || settings.WebhookSecret.Length < 16)
            {
                failures.Add($"Billing:Providers:{provider}:WebhookSecret must be at least 16 characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

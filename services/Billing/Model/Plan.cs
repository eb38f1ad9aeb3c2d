namespace PracticePlatform.Billing.Model;

public enum PlanAudience
{
    Individual,
    Institution,
}

/// <summary>Something a learner or an institution can subscribe to.</summary>
public sealed class Plan
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The stable name other services and the web app use, e.g. "individual-monthly"; unique.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    public PlanAudience Audience { get; set; }

    /// <summary>The price in the currency's minor unit (cents), per seat when <see cref="PricedPerSeat"/>.</summary>
    public long PriceMinor { get; set; }

    /// <summary>ISO 4217 code.</summary>
    public string Currency { get; set; } = "USD";

    public string BillingInterval { get; set; } = "month";

    /// <summary>How many practice sessions a month the plan includes; null means unlimited.</summary>
    public int? MonthlySessionAllowance { get; set; }

    public bool PricedPerSeat { get; set; }

    /// <summary>Inactive plans are no longer offered but still describe existing subscriptions.</summary>
    public bool IsActive { get; set; } = true;
}

public sealed record PlanDetails(
    Guid Id,
    string Code,
    string Name,
    PlanAudience Audience,
    long PriceMinor,
    string Currency,
    string BillingInterval,
    int? MonthlySessionAllowance,
    bool PricedPerSeat,
    bool IsActive)
{
    public static PlanDetails From(Plan plan) => new(
        plan.Id,
        plan.Code,
        plan.Name,
        plan.Audience,
        plan.PriceMinor,
        plan.Currency,
        plan.BillingInterval,
        plan.MonthlySessionAllowance,
        plan.PricedPerSeat,
        plan.IsActive);
}

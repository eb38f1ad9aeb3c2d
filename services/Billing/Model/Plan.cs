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

/// <summary>A new plan (platform admins). The code is the stable name; lower-case letters, digits and dashes.</summary>
public sealed record CreatePlanRequest(
    [property: System.ComponentModel.DataAnnotations.Required]
    [property: System.ComponentModel.DataAnnotations.RegularExpression("^[a-z0-9][a-z0-9-]{1,62}$")]
    string Code,
    [property: System.ComponentModel.DataAnnotations.Required]
    [property: System.ComponentModel.DataAnnotations.StringLength(200, MinimumLength = 1)]
    string Name,
    PlanAudience Audience,
    [property: System.ComponentModel.DataAnnotations.Range(0, 100_000_000)] long PriceMinor,
    [property: System.ComponentModel.DataAnnotations.RegularExpression("^[A-Z]{3}$")] string Currency = "USD",
    [property: System.ComponentModel.DataAnnotations.Range(0, 10_000)] int? MonthlySessionAllowance = null,
    bool PricedPerSeat = false);

/// <summary>Changes to a plan (platform admins); the price applies from the next period of existing subscriptions.</summary>
public sealed record UpdatePlanRequest(
    [property: System.ComponentModel.DataAnnotations.StringLength(200, MinimumLength = 1)] string? Name = null,
    [property: System.ComponentModel.DataAnnotations.Range(0, 100_000_000)] long? PriceMinor = null,
    [property: System.ComponentModel.DataAnnotations.Range(0, 10_000)] int? MonthlySessionAllowance = null,
    bool? IsActive = null);

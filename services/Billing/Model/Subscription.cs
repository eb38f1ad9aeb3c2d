namespace PracticePlatform.Billing.Model;

/// <summary>Who pays: a learner for themselves, or an institution for seats its learners take.</summary>
public enum SubscriberKind
{
    User,
    Institution,
}

/// <summary>trialing → active → past_due → (restricted) → cancelled → expired.</summary>
public enum SubscriptionStatus
{
    Trialing,
    Active,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("past_due")]
    PastDue,
    Restricted,
    Cancelled,
    Expired,
}

/// <summary>A user's or an institution's subscription to a plan, billed by the month.</summary>
public sealed class Subscription
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public SubscriberKind SubscriberKind { get; init; }

    /// <summary>The learner who subscribed for themselves; null for an institution's subscription.</summary>
    public Guid? UserId { get; init; }

    /// <summary>The institution that pays (institution subscriptions) or the learner's institution (individual ones),
    /// so every row stays in its tenant.</summary>
    public Guid? InstitutionId { get; init; }

    public Guid PlanId { get; set; }

    public Plan Plan { get; set; } = null!;

    public SubscriptionStatus Status { get; set; }

    /// <summary>Seats bought (institution plans); 1 for an individual subscription.</summary>
    public int Seats { get; set; } = 1;

    /// <summary>The moment billing started: every period ends a whole number of months after it, so periods do not
    /// drift at the end of short months.</summary>
    public DateTimeOffset BillingAnchor { get; set; }

    public DateTimeOffset CurrentPeriodStart { get; set; }

    public DateTimeOffset CurrentPeriodEnd { get; set; }

    public DateTimeOffset? TrialEndsAt { get; set; }

    /// <summary>When a past-due subscription becomes restricted unless paid.</summary>
    public DateTimeOffset? GraceEndsAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The payment provider that collects its invoices ("manual" for bank transfer).</summary>
    public string PaymentProvider { get; set; } = "manual";

    /// <summary>The creation time of the newest provider event applied to it: an older one arriving late changes nothing.</summary>
    public DateTimeOffset? ProviderEventAt { get; set; }

    public Guid CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether it lets its learners practise at <paramref name="now"/>.</summary>
    public bool Entitles(DateTimeOffset now) => Status switch
    {
        SubscriptionStatus.Trialing or SubscriptionStatus.Active => true,
        SubscriptionStatus.PastDue => GraceEndsAt is { } grace && now < grace,
        // Cancelling does not lift a lapsed grace period: a restricted subscription cancelled stays without access.
        SubscriptionStatus.Cancelled => now < CurrentPeriodEnd && (GraceEndsAt is not { } deadline || now < deadline),
        _ => false,
    };

    /// <summary>Whether it may still be changed (seats, plan) or cancelled.</summary>
    public bool IsChangeable => Status is SubscriptionStatus.Trialing or SubscriptionStatus.Active or SubscriptionStatus.PastDue;
}

/// <summary>A learner holding one seat of their institution's subscription.</summary>
public sealed class SeatAssignment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid SubscriptionId { get; init; }

    public Guid InstitutionId { get; init; }

    public Guid UserId { get; init; }

    public DateTimeOffset AssignedAt { get; init; }
}

public sealed record SubscriptionDetails(
    Guid Id,
    SubscriberKind SubscriberKind,
    Guid? UserId,
    Guid? InstitutionId,
    string Plan,
    string PlanName,
    SubscriptionStatus Status,
    int Seats,
    long UnitPriceMinor,
    string Currency,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    DateTimeOffset? TrialEndsAt,
    DateTimeOffset? GraceEndsAt,
    DateTimeOffset? CancelledAt,
    DateTimeOffset? EndedAt,
    string PaymentProvider)
{
    public static SubscriptionDetails From(Subscription s) => new(
        s.Id, s.SubscriberKind, s.UserId, s.InstitutionId, s.Plan.Code, s.Plan.Name, s.Status, s.Seats, s.Plan.PriceMinor,
        s.Plan.Currency, s.CurrentPeriodStart, s.CurrentPeriodEnd, s.TrialEndsAt, s.GraceEndsAt, s.CancelledAt, s.EndedAt,
        s.PaymentProvider);
}

/// <summary>Subscribe: a learner to an individual plan for themselves, an institution admin to an institution plan with
/// seats (for their own institution; a platform admin names one).</summary>
public sealed record CreateSubscriptionRequest(
    string PlanCode,
    [property: System.ComponentModel.DataAnnotations.Range(1, 100_000)] int? Seats = null,
    Guid? InstitutionId = null,
    string? PaymentProvider = null);

/// <summary>Change seats and/or plan mid-period; the difference is prorated to the day.</summary>
public sealed record ChangeSubscriptionRequest(
    [property: System.ComponentModel.DataAnnotations.Range(1, 100_000)] int? Seats = null,
    string? PlanCode = null);

/// <summary>Cancel at the end of the paid period (the default), or now.</summary>
public sealed record CancelSubscriptionRequest(bool AtPeriodEnd = true);

public sealed record SeatDetails(Guid UserId, DateTimeOffset AssignedAt);

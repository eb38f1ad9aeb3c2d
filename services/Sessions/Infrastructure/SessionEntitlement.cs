using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Sessions.Infrastructure;

/// <summary>Whether a learner may start practising a scenario (their plan, seats, quota...): asked before every
/// session starts.</summary>
public interface ISessionEntitlementPolicy
{
    Task<EntitlementDecision> CheckAsync(ICurrentUser learner, PublishedScenario scenario, CancellationToken cancellationToken);
}

/// <summary>Allowed, or refused with the reason and what the learner can do about it.</summary>
public sealed record EntitlementDecision
{
    private EntitlementDecision(bool isAllowed, string? reason, string? remedy)
    {
        IsAllowed = isAllowed;
        Reason = reason;
        Remedy = remedy;
    }

    public static EntitlementDecision Allowed { get; } = new(true, null, null);

    public bool IsAllowed { get; }

    /// <summary>Why the learner may not start, e.g. "Your institution has used all its practice sessions this month."</summary>
    public string? Reason { get; }

    /// <summary>What to do about it, e.g. "Ask your institution admin to add seats."</summary>
    public string? Remedy { get; }

    public static EntitlementDecision Refused(string reason, string remedy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(remedy);
        return new EntitlementDecision(false, reason, remedy);
    }
}

/// <summary>The only policy until the billing service keeps plans and entitlements: everyone may practise everything.
/// Replace it (one registration in Extensions) with one that asks billing.</summary>
public sealed class AllowAllUntilBillingExists : ISessionEntitlementPolicy
{
    public Task<EntitlementDecision> CheckAsync(ICurrentUser learner, PublishedScenario scenario, CancellationToken cancellationToken) =>
        Task.FromResult(EntitlementDecision.Allowed);
}

using PracticePlatform.Billing.Model;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>The lifecycle's transitions that more than one caller makes.</summary>
public static class SubscriptionRules
{
    /// <summary>At period end: cancelled, entitling until the period ends, then expired by the period close. Now:
    /// expired at once (nothing is refunded).</summary>
    public static void Cancel(Subscription subscription, bool atPeriodEnd, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        subscription.CancelledAt = now;
        if (atPeriodEnd)
        {
            subscription.Status = SubscriptionStatus.Cancelled;
        }
        else
        {
            subscription.Status = SubscriptionStatus.Expired;
            subscription.EndedAt = now;
        }
    }
}

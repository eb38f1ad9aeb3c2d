using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.Billing.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>Tells the platform that who may practise has changed: <see cref="EntitlementChanged"/> through the outbox
/// (committed with the change) and the cached answers forgotten once the change commits.</summary>
public sealed class EntitlementNotices(BillingDbContext db, IEventOutbox outbox, EntitlementCache cache, TimeProvider time)
{
    public void SubscriptionChanged(Subscription subscription, string reason)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.SubscriberKind == SubscriberKind.Institution && subscription.InstitutionId is { } institution)
        {
            outbox.Add(new EntitlementChanged(null, institution, reason, time.GetUtcNow()));
            cache.InvalidateInstitutionOnCommit(db, institution);
        }
        else if (subscription.UserId is { } user)
        {
            outbox.Add(new EntitlementChanged(user, subscription.InstitutionId, reason, time.GetUtcNow()));
            cache.InvalidateUserOnCommit(db, user);
        }
    }

    public void SeatReleased(Guid institutionId, Guid userId)
    {
        outbox.Add(new EntitlementChanged(userId, institutionId, "seat released", time.GetUtcNow()));
        cache.InvalidateUserOnCommit(db, userId);
        // Learners refused for want of a seat may take this one now.
        cache.InvalidateInstitutionOnCommit(db, institutionId);
    }
}

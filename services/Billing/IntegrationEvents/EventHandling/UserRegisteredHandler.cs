using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.EventHandling;

/// <summary>Grants a new user the free tier (a no-op when they asked for their entitlement before the event came).</summary>
public sealed class UserRegisteredHandler(BillingDbContext db, Entitlements entitlements, EntitlementCache cache, TimeProvider time)
    : IIntegrationEventHandler<UserRegistered>
{
    public async Task HandleAsync(UserRegistered @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        await entitlements.EnsureFreeTierAsync(@event.UserId, @event.InstitutionId, time.GetUtcNow(), cancellationToken);
        cache.InvalidateUserOnCommit(db, @event.UserId);
    }
}

using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.Events;

/// <summary>Published by billing whenever a subscription, seat or status change alters who may practise: for one user
/// (<see cref="UserId"/>) or a whole institution (<see cref="InstitutionId"/> without a user).</summary>
public sealed record EntitlementChanged(Guid? UserId, Guid? InstitutionId, string Reason, DateTimeOffset At) : IntegrationEvent;

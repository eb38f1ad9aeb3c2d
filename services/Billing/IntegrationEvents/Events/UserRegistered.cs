using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.Events;

/// <summary>users: someone registered. Billing grants them the free tier.</summary>
public sealed record UserRegistered(
    Guid UserId,
    Guid? InstitutionId,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles) : IntegrationEvent;

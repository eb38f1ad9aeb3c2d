using PracticePlatform.EventBus;

namespace PracticePlatform.Users.IntegrationEvents.Events;

/// <summary>Someone joined the platform: billing grants the free tier, other services may prepare for them.</summary>
public sealed record UserRegistered(Guid UserId, Guid? InstitutionId, string Email, string DisplayName, IReadOnlyList<string> Roles) : IntegrationEvent;

/// <summary>A user's roles changed; services that cache who may do what refresh it.</summary>
public sealed record UserRoleChanged(Guid UserId, Guid? InstitutionId, IReadOnlyList<string> Roles) : IntegrationEvent;

/// <summary>A user may no longer sign in; services stop their work for them.</summary>
public sealed record UserDeactivated(Guid UserId, Guid? InstitutionId) : IntegrationEvent;

/// <summary>An e-mail is waiting in this service's database (users sends it to itself through the outbox).</summary>
public sealed record MailQueued(Guid MailId) : IntegrationEvent;

namespace PracticePlatform.Users.Model;

public enum AuditOutcome
{
    Success,
    Failure,
}

/// <summary>One security-relevant thing that happened; the table is append-only (a trigger refuses changes).</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }

    /// <summary>The tenant it concerns, so institution admins read their own; null for platform-level events.</summary>
    public Guid? InstitutionId { get; init; }

    /// <summary>Who acted, when known (a failed login by an unknown e-mail has no actor).</summary>
    public Guid? ActorId { get; init; }

    /// <summary>The user it was done to, when not the actor.</summary>
    public Guid? SubjectId { get; init; }

    public required string Type { get; init; }

    public AuditOutcome Outcome { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? Detail { get; init; }

    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>The audit event types.</summary>
public static class AuditEventTypes
{
    public const string Registered = "user.registered";
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginThrottled = "login.throttled";
    public const string TokenRefreshed = "token.refreshed";
    public const string TokenReused = "token.reused";
    public const string LoggedOut = "session.logged-out";
    public const string SessionRevoked = "session.revoked";
    public const string RoleChanged = "user.role-changed";
    public const string UserDeactivated = "user.deactivated";
    public const string Invited = "user.invited";
    public const string PasswordReset = "user.password-reset";
    public const string SigningKeyRotated = "signing-key.rotated";
    public const string CohortEducatorAssigned = "cohort.educator-assigned";
    public const string CohortEducatorRemoved = "cohort.educator-removed";
    public const string FeedbackItemOverridden = "feedback.item-overridden";
}

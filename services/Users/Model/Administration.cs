using System.ComponentModel.DataAnnotations;
using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Users.Model;

/// <summary>An invitation to join an institution with a given role, sent by e-mail; the token is stored hashed.</summary>
public sealed class Invitation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid InstitutionId { get; init; }

    public required string Email { get; init; }

    public required string NormalizedEmail { get; init; }

    public required string Role { get; init; }

    public Guid? CohortId { get; init; }

    public required string TokenHash { get; init; }

    public Guid InvitedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? AcceptedAt { get; set; }
}

public sealed record MemberSummary(
    Guid Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    Guid? CohortId,
    UserStatus Status,
    bool EmailVerified,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLoginAt)
{
    public static MemberSummary From(User user) => new(
        user.Id, user.Email, user.DisplayName, user.Roles, user.CohortId, user.Status, user.EmailVerifiedAt is not null, user.CreatedAt, user.LastLoginAt);
}

public sealed record MemberPage(IReadOnlyList<MemberSummary> Items, int Total);

public sealed record CohortSummary(Guid Id, string Name, string? JoinCode, DateTimeOffset CreatedAt, int Members, int Educators);

public sealed record CreateCohortRequest : IValidatableObject
{
    public required string Name { get; init; }

    /// <summary>Optional: a code learners register with to land in this cohort (4 to 32 letters, digits or dashes).</summary>
    public string? JoinCode { get; init; }

    public string? NormalizedJoinCode => string.IsNullOrWhiteSpace(JoinCode) ? null : JoinCode.Trim().ToUpperInvariant();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 200)
        {
            yield return new ValidationResult("A cohort name of 1 to 200 characters is required.", ["name"]);
        }

        if (NormalizedJoinCode is { } code && (code.Length is < 4 or > 32 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            yield return new ValidationResult("A join code has 4 to 32 letters, digits or dashes.", ["joinCode"]);
        }
    }
}

/// <summary>An educator who teaches a cohort.</summary>
public sealed record CohortEducatorSummary(Guid UserId, string Email, string DisplayName, DateTimeOffset AssignedAt);

/// <summary>The roles a member has within their institution. Only a platform admin can grant platform-admin.</summary>
public sealed record ChangeRolesRequest : IValidatableObject
{
    public static readonly string[] InstitutionRoles = [PlatformRoles.Learner, PlatformRoles.Educator, PlatformRoles.InstitutionAdmin];

    public required IReadOnlyList<string> Roles { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Roles is null || Roles.Count == 0 || Roles.Count > 3 || Roles.Distinct(StringComparer.Ordinal).Count() != Roles.Count ||
            Roles.Any(r => !InstitutionRoles.Contains(r, StringComparer.Ordinal)))
        {
            yield return new ValidationResult($"One to three distinct roles among: {string.Join(", ", InstitutionRoles)}.", ["roles"]);
        }
    }
}

public sealed record AssignCohortRequest(Guid? CohortId);

public sealed record CreateInvitationRequest : IValidatableObject
{
    public required string Email { get; init; }

    public required string Role { get; init; }

    public Guid? CohortId { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!RegisterRequest.IsEmail(Email))
        {
            yield return new ValidationResult("An e-mail address is required.", ["email"]);
        }

        if (!ChangeRolesRequest.InstitutionRoles.Contains(Role, StringComparer.Ordinal))
        {
            yield return new ValidationResult($"The role is one of: {string.Join(", ", ChangeRolesRequest.InstitutionRoles)}.", ["role"]);
        }
    }
}

public sealed record InvitationSummary(Guid Id, string Email, string Role, Guid? CohortId, DateTimeOffset ExpiresAt);

/// <summary>The states an invitation passes through: sent (pending), used to register (accepted), or left too long (expired).</summary>
public static class InvitationStatuses
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Expired = "expired";

    public static readonly string[] All = [Pending, Accepted, Expired];
}

/// <summary>An invitation as an admin sees it in the list: never its token.</summary>
public sealed record InvitationListItem(
    Guid Id,
    string Email,
    string Role,
    Guid? CohortId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt,
    Guid InvitedBy,
    string Status)
{
    public static InvitationListItem From(Invitation invitation, DateTimeOffset now) => new(
        invitation.Id, invitation.Email, invitation.Role, invitation.CohortId, invitation.CreatedAt, invitation.ExpiresAt,
        invitation.AcceptedAt, invitation.InvitedBy,
        invitation.AcceptedAt is not null ? InvitationStatuses.Accepted
            : invitation.ExpiresAt <= now ? InvitationStatuses.Expired
            : InvitationStatuses.Pending);
}

public sealed record AuditEntry(
    long Id,
    string Type,
    AuditOutcome Outcome,
    Guid? ActorId,
    Guid? SubjectId,
    string? IpAddress,
    string? UserAgent,
    string? Detail,
    DateTimeOffset OccurredAt)
{
    public static AuditEntry From(AuditEvent audit) => new(
        audit.Id, audit.Type, audit.Outcome, audit.ActorId, audit.SubjectId, audit.IpAddress, audit.UserAgent, audit.Detail, audit.OccurredAt);
}

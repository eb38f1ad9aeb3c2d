using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>
/// The caller of the current request, as its access token describes them. Handlers ask this instead of reading claims,
/// so the claim names and the role hierarchy live in one place.
/// </summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>The user id (<c>sub</c>). Throws <see cref="InvalidOperationException"/> when nobody is signed in.</summary>
    Guid Id { get; }

    /// <summary>The institution (tenant) the user acts in (<c>tid</c>); null for a platform admin outside any.</summary>
    Guid? InstitutionId { get; }

    /// <summary>The login session (<c>sid</c>) the token was issued for.</summary>
    Guid? SessionId { get; }

    /// <summary>The cohort the user learns in (<c>cohort</c>); null when they are in none.</summary>
    Guid? CohortId { get; }

    /// <summary>The cohorts the user teaches (<c>teaches</c>), as they stood when the token was issued.</summary>
    IReadOnlySet<Guid> TaughtCohortIds { get; }

    IReadOnlySet<string> Roles { get; }

    string? Email { get; }

    string? Name { get; }

    bool IsPlatformAdmin { get; }

    /// <summary>educator, institution-admin or platform-admin: the same roles as <see cref="PlatformPolicies.Educator"/>.</summary>
    bool IsEducator { get; }

    /// <summary>institution-admin or platform-admin: the same roles as <see cref="PlatformPolicies.InstitutionAdmin"/>.</summary>
    bool IsInstitutionAdmin { get; }

    bool IsInRole(string role);

    /// <summary>Platform admins read every institution; everyone else only their own.</summary>
    bool CanReadInstitution(Guid institutionId);
}

/// <summary>Reads <see cref="ICurrentUser"/> from the request's <see cref="ClaimsPrincipal"/>, once per request.</summary>
internal sealed class CurrentUser(IHttpContextAccessor httpContextAccessor) : ICurrentUser
{
    private IReadOnlySet<string>? _roles;
    private IReadOnlySet<Guid>? _taughtCohortIds;

    private ClaimsPrincipal? Principal => httpContextAccessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public Guid Id => IsAuthenticated && Guid.TryParse(Principal!.FindFirstValue(PlatformClaims.Subject), out var id)
        ? id
        : throw new InvalidOperationException("There is no authenticated user with a user id in this request.");

    public Guid? InstitutionId => GuidClaim(PlatformClaims.Tenant);

    public Guid? SessionId => GuidClaim(PlatformClaims.Session);

    public Guid? CohortId => GuidClaim(PlatformClaims.Cohort);

    public IReadOnlySet<Guid> TaughtCohortIds => _taughtCohortIds ??= IsAuthenticated
        ? Principal!.FindAll(PlatformClaims.TaughtCohort)
            .Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .ToHashSet()
        : new HashSet<Guid>();

    public IReadOnlySet<string> Roles => _roles ??= IsAuthenticated
        ? Principal!.FindAll(PlatformClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)
        : new HashSet<string>();

    public string? Email => IsAuthenticated ? Principal!.FindFirstValue(PlatformClaims.Email) : null;

    public string? Name => IsAuthenticated ? Principal!.FindFirstValue(PlatformClaims.Name) : null;

    public bool IsPlatformAdmin => IsInRole(PlatformRoles.PlatformAdmin);

    public bool IsEducator => IsInRole(PlatformRoles.Educator) || IsInstitutionAdmin;

    public bool IsInstitutionAdmin => IsInRole(PlatformRoles.InstitutionAdmin) || IsPlatformAdmin;

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool CanReadInstitution(Guid institutionId) =>
        IsAuthenticated && (IsPlatformAdmin || InstitutionId == institutionId);

    private Guid? GuidClaim(string type) =>
        IsAuthenticated && Guid.TryParse(Principal!.FindFirstValue(type), out var value) ? value : null;
}

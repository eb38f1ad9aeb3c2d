namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>
/// The claim names of the platform's access tokens, exactly as the users service writes them. JwtBearer is told not to
/// remap inbound claims, so code reads these short names rather than the long XML-SOAP URIs.
/// </summary>
public static class PlatformClaims
{
    /// <summary>The user id (a Guid).</summary>
    public const string Subject = "sub";

    /// <summary>The institution (tenant) id (a Guid); absent for a platform admin who belongs to no institution.</summary>
    public const string Tenant = "tid";

    /// <summary>One claim per role; see <see cref="PlatformRoles"/>.</summary>
    public const string Role = "role";

    public const string Name = "name";

    public const string Email = "email";

    /// <summary>The login session id (a Guid), so a session can be revoked as a whole.</summary>
    public const string Session = "sid";

    /// <summary>The cohort (a Guid) the user learns in; absent when they are in none.</summary>
    public const string Cohort = "cohort";

    /// <summary>One claim per cohort (a Guid) the user teaches as an educator.</summary>
    public const string TaughtCohort = "teaches";
}

/// <summary>The roles a token can carry. Each is a separate <see cref="PlatformClaims.Role"/> claim.</summary>
public static class PlatformRoles
{
    public const string Learner = "learner";

    public const string Educator = "educator";

    public const string InstitutionAdmin = "institution-admin";

    public const string PlatformAdmin = "platform-admin";
}

/// <summary>
/// Authorization policy names registered by <c>AddPlatformAuthentication</c>. Each includes the roles above it, so an
/// endpoint names the least role it needs: <c>.RequireAuthorization(PlatformPolicies.Educator)</c>.
/// </summary>
public static class PlatformPolicies
{
    /// <summary>educator, institution-admin or platform-admin.</summary>
    public const string Educator = "Educator";

    /// <summary>institution-admin or platform-admin.</summary>
    public const string InstitutionAdmin = "InstitutionAdmin";

    /// <summary>platform-admin only.</summary>
    public const string PlatformAdmin = "PlatformAdmin";
}

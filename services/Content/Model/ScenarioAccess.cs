using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Content.Model;

/// <summary>
/// Who may read, author and see the whole of a scenario. Platform-wide scenarios (no institution) are read by
/// everyone; an institution's own only by its members. Only staff see hidden facts: the educators and admins of the
/// owning institution, any educator for a platform-wide scenario, and platform admins. Learners never do.
/// </summary>
public static class ScenarioAccess
{
    /// <summary>Published versions in the caller's catalogue, filtered in the query.</summary>
    public static IQueryable<ScenarioVersion> VisibleTo(this IQueryable<ScenarioVersion> versions, ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsPlatformAdmin)
        {
            return versions;
        }

        var institutionId = user.InstitutionId;
        return institutionId is null
            ? versions.Where(v => v.InstitutionId == null)
            : versions.Where(v => v.InstitutionId == null || v.InstitutionId == institutionId);
    }

    public static bool CanRead(this ICurrentUser user, Guid? ownerInstitutionId) =>
        ownerInstitutionId is null || user.IsPlatformAdmin || user.InstitutionId == ownerInstitutionId;

    /// <summary>Create, edit, publish and attach media: educators of the owning institution; platform admins for
    /// platform-wide scenarios (and any other, for support).</summary>
    public static bool CanAuthor(this ICurrentUser user, Guid? ownerInstitutionId) =>
        user.IsPlatformAdmin || (ownerInstitutionId is not null && user.IsEducator && user.InstitutionId == ownerInstitutionId);

    /// <summary>The whole scenario, hidden facts included.</summary>
    public static bool SeesEverything(this ICurrentUser user, Guid? ownerInstitutionId) =>
        user.IsPlatformAdmin || (user.IsEducator && (ownerInstitutionId is null || user.InstitutionId == ownerInstitutionId));
}

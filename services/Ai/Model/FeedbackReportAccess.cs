using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Ai.Model;

/// <summary>Who may read which feedback reports (the same people who may read the practice session), applied in the
/// query so a report nobody may read is never loaded.</summary>
public static class FeedbackReportAccess
{
    /// <summary>
    /// The reports <paramref name="user"/> may read: their own; every report of their institution when they are an
    /// educator or institution admin; every report when they are a platform admin.
    /// </summary>
    public static IQueryable<FeedbackReport> ReadableBy(this IQueryable<FeedbackReport> reports, ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsPlatformAdmin)
        {
            return reports;
        }

        var userId = user.Id;
        if (user.IsEducator && user.InstitutionId is { } institutionId)
        {
            return reports.Where(r => r.LearnerId == userId || r.InstitutionId == institutionId);
        }

        return reports.Where(r => r.LearnerId == userId);
    }
}

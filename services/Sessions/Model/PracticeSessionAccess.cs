using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Sessions.Model;

/// <summary>Who may see which practice sessions, applied in the query so a session nobody may read is never loaded.</summary>
public static class PracticeSessionAccess
{
    /// <summary>
    /// The sessions <paramref name="user"/> may read: their own; every session of their institution when they are an
    /// educator or institution admin; every session when they are a platform admin.
    /// </summary>
    public static IQueryable<PracticeSession> ReadableBy(this IQueryable<PracticeSession> sessions, ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsPlatformAdmin)
        {
            return sessions;
        }

        var userId = user.Id;
        if (user.IsEducator && user.InstitutionId is { } institutionId)
        {
            return sessions.Where(s => s.LearnerId == userId || s.InstitutionId == institutionId);
        }

        return sessions.Where(s => s.LearnerId == userId);
    }

    /// <summary>Only the learner who started a session ends it; reviewers may read it but not change it.</summary>
    public static bool CanBeEndedBy(this PracticeSession session, ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(user);
        return session.LearnerId == user.Id;
    }
}

namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>A record that belongs to one learner of one institution: a practice session, a feedback report, ...</summary>
public interface ILearnerOwned
{
    Guid LearnerId { get; }

    Guid? InstitutionId { get; }
}

/// <summary>The platform's one rule for reading a learner's records, applied in the query so a record nobody may read
/// is never loaded.</summary>
public static class LearnerOwnedAccess
{
    /// <summary>
    /// The records <paramref name="user"/> may read: their own; every record of their institution when they are an
    /// educator or institution admin; every record when they are a platform admin.
    /// </summary>
    public static IQueryable<T> ReadableBy<T>(this IQueryable<T> records, ICurrentUser user)
        where T : class, ILearnerOwned
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsPlatformAdmin)
        {
            return records;
        }

        var userId = user.Id;
        if (user.IsEducator && user.InstitutionId is { } institutionId)
        {
            return records.Where(r => r.LearnerId == userId || r.InstitutionId == institutionId);
        }

        return records.Where(r => r.LearnerId == userId);
    }
}

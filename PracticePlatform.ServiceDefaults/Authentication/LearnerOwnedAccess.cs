namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>A record that belongs to one learner of one institution: a practice session, a feedback report, ...</summary>
public interface ILearnerOwned
{
    Guid LearnerId { get; }

    Guid? InstitutionId { get; }

    /// <summary>The cohort the learner was in when the record was made; null when they were in none.</summary>
    Guid? CohortId { get; }
}

/// <summary>The platform's one rule for reading a learner's records, applied in the query so a record nobody may read
/// is never loaded.</summary>
public static class LearnerOwnedAccess
{
    /// <summary>
    /// The records <paramref name="user"/> may read: their own; those of the cohorts they teach, within their
    /// institution, when they are an educator; every record of their institution when they are an institution admin;
    /// every record when they are a platform admin.
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
        if (user.InstitutionId is { } institutionId)
        {
            if (user.IsInstitutionAdmin)
            {
                return records.Where(r => r.LearnerId == userId || r.InstitutionId == institutionId);
            }

            if (user.IsEducator && user.TaughtCohortIds.Count > 0)
            {
                var taught = user.TaughtCohortIds.ToList();
                return records.Where(r => r.LearnerId == userId
                    || (r.InstitutionId == institutionId && r.CohortId != null && taught.Contains(r.CohortId.Value)));
            }
        }

        return records.Where(r => r.LearnerId == userId);
    }

    /// <summary>The same rule for one record already in hand.</summary>
    public static bool IsReadableBy(this ILearnerOwned record, ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsPlatformAdmin || record.LearnerId == user.Id)
        {
            return true;
        }

        if (user.InstitutionId is not { } institutionId || record.InstitutionId != institutionId)
        {
            return false;
        }

        return user.IsInstitutionAdmin
            || (user.IsEducator && record.CohortId is { } cohortId && user.TaughtCohortIds.Contains(cohortId));
    }
}

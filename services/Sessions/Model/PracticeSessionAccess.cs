using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Sessions.Model;

/// <summary>What only the owner of a practice session may do (who may read one is <see cref="LearnerOwnedAccess"/>).</summary>
public static class PracticeSessionAccess
{
    /// <summary>Only the learner who started a session ends it; reviewers may read it but not change it.</summary>
    public static bool CanBeEndedBy(this PracticeSession session, ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(user);
        return session.LearnerId == user.Id;
    }
}

using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Testing;

/// <summary>Who a test's request comes from: what <see cref="TestTokens.Issue"/> writes into the access token.</summary>
public sealed record TestUser(Guid Id, Guid? InstitutionId, IReadOnlyList<string> Roles, string Email, string Name)
{
    /// <summary>The login session (<c>sid</c>) the token belongs to.</summary>
    public Guid SessionId { get; init; } = Guid.CreateVersion7();

    /// <summary>The cohort the user learns in (<c>cohort</c>).</summary>
    public Guid? CohortId { get; init; }

    /// <summary>The cohorts the user teaches (<c>teaches</c>).</summary>
    public IReadOnlyList<Guid> TaughtCohortIds { get; init; } = [];

    public static TestUser Learner(Guid institutionId, Guid cohortId) => Learner(institutionId) with { CohortId = cohortId };

    /// <summary>An educator who teaches <paramref name="cohortIds"/> of <paramref name="institutionId"/>.</summary>
    public static TestUser Educator(Guid institutionId, params Guid[] cohortIds) =>
        Create(institutionId, PlatformRoles.Educator) with { TaughtCohortIds = cohortIds };

    public static TestUser Learner(Guid institutionId) => Create(institutionId, PlatformRoles.Learner);

    public static TestUser InstitutionAdmin(Guid institutionId) => Create(institutionId, PlatformRoles.InstitutionAdmin);

    /// <summary>A platform admin belongs to no institution.</summary>
    public static TestUser PlatformAdmin() => Create(null, PlatformRoles.PlatformAdmin);

    private static TestUser Create(Guid? institutionId, string role)
    {
        var id = Guid.CreateVersion7();
        return new TestUser(id, institutionId, [role], $"{role}-{id:N}@example.test", $"Test {role}");
    }
}

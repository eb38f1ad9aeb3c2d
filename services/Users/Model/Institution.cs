namespace PracticePlatform.Users.Model;

/// <summary>A tenant: a school, university or hospital whose members practise together.</summary>
public sealed class Institution
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    /// <summary>What a learner types to join; stored upper-case, unique.</summary>
    public required string JoinCode { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>What anyone holding a join code may see before registering: enough to confirm the right institution.</summary>
public sealed record InstitutionSummary(Guid Id, string Name, string JoinCode)
{
    public static InstitutionSummary From(Institution institution) => new(institution.Id, institution.Name, institution.JoinCode);
}

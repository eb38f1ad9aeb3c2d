namespace PracticePlatform.Users.Model;

public enum UserStatus
{
    Active,
    Deactivated,
}

/// <summary>A person who uses the platform: a member of one institution (platform admins may belong to none).</summary>
public sealed class User
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The tenant; null only for platform admins who belong to no institution.</summary>
    public Guid? InstitutionId { get; set; }

    public Guid? CohortId { get; set; }

    /// <summary>As the person typed it; <see cref="NormalizedEmail"/> is what is unique.</summary>
    public required string Email { get; set; }

    public required string NormalizedEmail { get; set; }

    public required string DisplayName { get; set; }

    public required string PasswordHash { get; set; }

    public List<string> Roles { get; set; } = [];

    public UserPreferences Preferences { get; set; } = new();

    public UserStatus Status { get; set; } = UserStatus.Active;

    public DateTimeOffset? EmailVerifiedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? LastLoginAt { get; set; }

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();
}

/// <summary>What a user chose about how the platform treats them.</summary>
public sealed class UserPreferences
{
    /// <summary>A BCP 47 language tag for the interface and the feedback reports.</summary>
    public string Locale { get; set; } = "en-GB";

    public bool EmailNotifications { get; set; } = true;
}

/// <summary>A group of learners within an institution that educators teach and review together.</summary>
public sealed class Cohort
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid InstitutionId { get; init; }

    public required string Name { get; set; }

    /// <summary>A code learners can register with to join the institution straight into this cohort; unique across
    /// institution and cohort codes. Null when the cohort is joined only by invitation or an admin's assignment.</summary>
    public string? JoinCode { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>An educator assigned to teach a cohort: they review its learners' sessions, transcripts and reports.</summary>
public sealed class CohortEducator
{
    public Guid CohortId { get; init; }

    public Guid UserId { get; init; }

    public Guid? AssignedBy { get; init; }

    public DateTimeOffset AssignedAt { get; init; } = DateTimeOffset.UtcNow;
}

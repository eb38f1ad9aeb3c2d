namespace PracticePlatform.Users.Model;

/// <summary>
/// One login on one device: what the owner sees in "where you are signed in" and can revoke. It is also the family
/// of the refresh tokens issued for that login, so revoking it ends them all.
/// </summary>
public sealed class LoginSession
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    public Guid? InstitutionId { get; init; }

    public string? UserAgent { get; init; }

    public string? IpAddress { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset LastSeenAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>A login lasts at most this long, however often its refresh token is rotated.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedReason { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>A refresh token, stored only as its SHA-256 hash. Each is used once: refreshing marks it used and issues
/// its successor; presenting a used one again means it was stolen, and its whole session is revoked.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid SessionId { get; init; }

    public required string TokenHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; set; }
}

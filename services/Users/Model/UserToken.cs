namespace PracticePlatform.Users.Model;

public enum UserTokenPurpose
{
    EmailVerification,
    PasswordReset,
}

/// <summary>A single-use, expiring token sent by e-mail (verify an address, reset a password), stored only as its
/// SHA-256 hash.</summary>
public sealed class UserToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    public UserTokenPurpose Purpose { get; init; }

    public required string TokenHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>An e-mail waiting to be (or already) sent. Saved with the change that causes it; the body, which may
/// hold a one-time link, is cleared once sent.</summary>
public sealed class OutgoingMail
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string To { get; init; }

    public required string Subject { get; init; }

    public string? TextBody { get; set; }

    public required string Kind { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? SentAt { get; set; }
}

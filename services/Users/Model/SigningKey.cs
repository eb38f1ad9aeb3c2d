namespace PracticePlatform.Users.Model;

/// <summary>
/// An RSA key that signs access tokens. Keys overlap: a new key is published in the JWKS before it signs anything
/// (so every service's cache knows it in time), and an old one stays published until the last token it signed has
/// expired. The private key is stored encrypted (AES-GCM under the configured key-encryption key).
/// </summary>
public sealed class SigningKey
{
    /// <summary>The JWT <c>kid</c>.</summary>
    public required string Id { get; init; }

    public required byte[] PublicKey { get; init; }

    public required byte[] EncryptedPrivateKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it starts signing tokens (it is published from <see cref="CreatedAt"/>).</summary>
    public DateTimeOffset ActivatesAt { get; init; }

    /// <summary>When it leaves the JWKS; set once a successor is created.</summary>
    public DateTimeOffset? RetiresAt { get; set; }
}

using Microsoft.IdentityModel.Tokens;

namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>
/// The fixed parts of the access-token contract between the users service, which issues the tokens, and every other
/// service, which validates them. The issuer and the audience can be changed through configuration
/// (<see cref="PlatformAuthenticationOptions"/>); these are their defaults.
/// </summary>
public static class PlatformTokens
{
    public const string DefaultIssuer = "practiceplatform-users";

    public const string DefaultAudience = "practiceplatform";

    /// <summary>The only signing algorithm accepted: RS256, with keys of at least <see cref="MinimumRsaKeySizeInBits"/>.</summary>
    public const string Algorithm = SecurityAlgorithms.RsaSha256;

    public const int MinimumRsaKeySizeInBits = 2048;

    /// <summary>Where the users service publishes its public signing keys (a standard JWKS document).</summary>
    public const string JwksPath = "/.well-known/jwks.json";

    /// <summary>How long an access token lives; short, because it cannot be revoked once issued.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>How far the clocks of issuer and validator may disagree.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
}

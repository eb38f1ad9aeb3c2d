using System.ComponentModel.DataAnnotations;

namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>
/// How a service validates the platform's access tokens, bound from the <c>Authentication</c> section. The defaults
/// fit the AppHost and the runner, where the users service is reachable as <c>users</c>.
/// </summary>
public sealed class PlatformAuthenticationOptions
{
    public const string SectionName = "Authentication";

    public string Issuer { get; set; } = PlatformTokens.DefaultIssuer;

    public string Audience { get; set; } = PlatformTokens.DefaultAudience;

    /// <summary>The users service's JWKS document, fetched through service discovery and the resilience pipeline.</summary>
    public Uri JwksUri { get; set; } = new($"https+http://users{PlatformTokens.JwksPath}");

    /// <summary>How long fetched keys are used before they are fetched again.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan JwksAutomaticRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The shortest time between two fetches forced by a token signed with a key not seen yet (key rotation);
    /// it keeps forged <c>kid</c>s from turning into a flood of requests to the users service.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Secure by default: every endpoint that does not say otherwise (<c>AllowAnonymous</c>,
    /// <c>RequireAuthorization</c>) needs a valid access token. Off only in tests about something else (error answers).
    /// </summary>
    public bool RequireAuthenticatedUserByDefault { get; set; } = true;
}

using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure.Security;

/// <summary>Signs the access tokens every service trusts (claims as in <see cref="PlatformClaims"/>).</summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, IOptions<TokenSettings> settings, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public TimeSpan Lifetime => settings.Value.AccessTokenLifetime;

    /// <summary>How long an ended login must stay on the revoked list: until its last access token has expired.</summary>
    public TimeSpan RevocationWindow => Lifetime + TimeSpan.FromMinutes(2);

    /// <param name="taughtCohorts">The cohorts the user teaches: services let educators read those learners' records.</param>
    public async Task<string> IssueAsync(User user, LoginSession session, IReadOnlyCollection<Guid> taughtCohorts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(session);
        var signing = await keys.GetAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = user.Id.ToString(),
            [PlatformClaims.Role] = user.Roles.ToArray(),
            [PlatformClaims.Name] = user.DisplayName,
            [PlatformClaims.Email] = user.Email,
            [PlatformClaims.Session] = session.Id.ToString(),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
        };
        if (user.InstitutionId is { } institutionId)
        {
            claims[PlatformClaims.Tenant] = institutionId.ToString();
        }

        if (user.CohortId is { } cohortId)
        {
            claims[PlatformClaims.Cohort] = cohortId.ToString();
        }

        if (taughtCohorts.Count > 0)
        {
            claims[PlatformClaims.TaughtCohort] = taughtCohorts.Select(c => c.ToString()).ToArray();
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Value.Issuer,
            Audience = settings.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signing.SigningSecurityKey, SecurityAlgorithms.RsaSha256),
        });
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Testing;

/// <summary>
/// Plays the users service's part in tests: owns an RSA signing key, issues access tokens exactly as the contract in
/// <see cref="PlatformTokens"/> says, forges the ones a service must refuse, and publishes its public key both as a
/// JWKS document and as a configuration manager to put in a service's DI.
/// </summary>
public sealed class TestTokens : IDisposable
{
    private readonly RSA _rsa = RSA.Create(PlatformTokens.MinimumRsaKeySizeInBits);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TestTokens()
    {
        KeyId = $"test-{Guid.NewGuid():N}";
        var publicKey = new RsaSecurityKey(_rsa.ExportParameters(includePrivateParameters: false)) { KeyId = KeyId };
        var configuration = new OpenIdConnectConfiguration();
        configuration.SigningKeys.Add(publicKey);
        ConfigurationManager = new(configuration);
    }

    public string KeyId { get; }

    public string Issuer { get; init; } = PlatformTokens.DefaultIssuer;

    public string Audience { get; init; } = PlatformTokens.DefaultAudience;

    /// <summary>Trusts this instance's key and no other; what <see cref="ServiceFactory{TProgram}"/> puts in DI.</summary>
    public StaticConfigurationManager<OpenIdConnectConfiguration> ConfigurationManager { get; }

    /// <summary>The public key as the users service publishes it at <see cref="PlatformTokens.JwksPath"/>.</summary>
    public string Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA",
                    use = "sig",
                    alg = PlatformTokens.Algorithm,
                    kid = KeyId,
                    n = Base64UrlEncoder.Encode(parameters.Modulus),
                    e = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        });
    }

    /// <summary>A valid access token for <paramref name="user"/>, living <paramref name="lifetime"/> (15 minutes)
    /// from <paramref name="now"/>.</summary>
    public string Issue(TestUser user, TimeSpan? lifetime = null, DateTimeOffset? now = null) =>
        _handler.CreateToken(Descriptor(user, lifetime, now, Issuer, Audience, Credentials(_rsa, KeyId)));

    /// <summary>Issued two hours ago for the usual lifetime, so expired far beyond the clock skew.</summary>
    public string Expired(TestUser user) => Issue(user, PlatformTokens.Lifetime, DateTimeOffset.UtcNow.AddHours(-2));

    public string WithIssuer(TestUser user, string issuer) =>
        _handler.CreateToken(Descriptor(user, null, null, issuer, Audience, Credentials(_rsa, KeyId)));

    public string WithAudience(TestUser user, string audience) =>
        _handler.CreateToken(Descriptor(user, null, null, Issuer, audience, Credentials(_rsa, KeyId)));

    /// <summary>Well-formed and correctly signed, but by a key (and <c>kid</c>) the service has never seen.</summary>
    public string SignedWithUnknownKey(TestUser user)
    {
        using var other = RSA.Create(PlatformTokens.MinimumRsaKeySizeInBits);
        return _handler.CreateToken(Descriptor(user, null, null, Issuer, Audience, Credentials(other, $"unknown-{Guid.NewGuid():N}")));
    }

    /// <summary><c>"alg": "none"</c> and no signature.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Not signed, not an unsigned integer.")]
    public string Unsigned(TestUser user) => _handler.CreateToken(Descriptor(user, null, null, Issuer, Audience, credentials: null));

    /// <summary>A genuine token for <paramref name="user"/> whose payload was then rewritten to make them a platform
    /// admin, keeping the original signature.</summary>
    public string Tampered(TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var genuine = Issue(user).Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(genuine[1]))!;
        payload[PlatformClaims.Role] = JsonSerializer.SerializeToElement(new[] { PlatformRoles.PlatformAdmin });
        var forged = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload)));
        return $"{genuine[0]}.{forged}.{genuine[2]}";
    }

    /// <summary>The bad tokens every service's tests try, by name, for <c>[InlineData]</c> rows: "expired",
    /// "tampered", "unsigned", "signed with an unknown key".</summary>
    public string Forged(string forgery, TestUser user) => forgery switch
    {
        "expired" => Expired(user),
        "tampered" => Tampered(user),
        "unsigned" => Unsigned(user),
        "signed with an unknown key" => SignedWithUnknownKey(user),
        _ => throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "Not a forgery TestTokens makes."),
    };

    public void Dispose() => _rsa.Dispose();

    private static SigningCredentials Credentials(RSA rsa, string keyId) =>
        new(new RsaSecurityKey(rsa) { KeyId = keyId }, PlatformTokens.Algorithm);

    private static SecurityTokenDescriptor Descriptor(
        TestUser user, TimeSpan? lifetime, DateTimeOffset? now, string issuer, string audience, SigningCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(user);
        var issuedAt = now ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [PlatformClaims.Subject] = user.Id.ToString(),
            [PlatformClaims.Role] = user.Roles.ToArray(),
            [PlatformClaims.Name] = user.Name,
            [PlatformClaims.Email] = user.Email,
            [PlatformClaims.Session] = user.SessionId.ToString(),
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

        if (user.TaughtCohortIds.Count > 0)
        {
            claims[PlatformClaims.TaughtCohort] = user.TaughtCohortIds.Select(c => c.ToString()).ToArray();
        }

        return new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + (lifetime ?? PlatformTokens.Lifetime)).UtcDateTime,
            Claims = claims,
            SigningCredentials = credentials,
        };
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using PracticePlatform.Users.Infrastructure.Security;

namespace Microsoft.AspNetCore.Builder;

public static class JwksApi
{
    /// <summary>Maps <c>GET /.well-known/jwks.json</c>: the public keys that verify access tokens.</summary>
    public static IEndpointRouteBuilder MapJwksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", GetKeys)
            .AllowAnonymous()
            .WithTags("Keys")
            .WithName("GetSigningKeys")
            .WithSummary("The JSON Web Key Set of the keys that sign access tokens, including the next key before it signs.");
        return app;
    }

    public static async Task<Ok<JsonWebKeySetDocument>> GetKeys(SigningKeyStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var keys = await store.GetAsync(cancellationToken);
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new JsonWebKeySetDocument(keys.PublishedKeys.Select(key =>
        {
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            return new PublicJsonWebKey("RSA", "sig", SecurityAlgorithms.RsaSha256, key.KeyId, Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
        }).ToList()));
    }
}

public sealed record JsonWebKeySetDocument(IReadOnlyList<PublicJsonWebKey> Keys);

/// <summary>An RSA public key in JWK form (RFC 7517): only the public modulus and exponent.</summary>
public sealed record PublicJsonWebKey(string Kty, string Use, string Alg, string Kid, string N, string E);

using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>
/// Reads a bare JWKS document into the configuration JwtBearer expects. The users service publishes keys only, not
/// a full OpenID Connect discovery document, and the issuer is fixed by configuration instead.
/// </summary>
internal sealed class JwksConfigurationRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
        var configuration = new OpenIdConnectConfiguration { JwksUri = address, JsonWebKeySet = keys };
        foreach (var key in keys.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }
}

/// <summary>
/// Fetches documents with a named HttpClient from the factory, so the JWKS request gets the platform's service
/// discovery (<c>https+http://users</c>) and resilience pipeline like any other call between services.
/// </summary>
internal sealed class HttpClientDocumentRetriever(IHttpClientFactory httpClientFactory) : IDocumentRetriever
{
    public const string HttpClientName = "PracticePlatform.Authentication.Jwks";

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.GetAsync(new Uri(address), cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new IOException($"Fetching the signing keys from {address} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        return await response.Content.ReadAsStringAsync(cancel);
    }
}

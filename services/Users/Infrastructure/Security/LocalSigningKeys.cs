using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace PracticePlatform.Users.Infrastructure.Security;

/// <summary>The users service validates its own tokens from its key store directly, instead of fetching its JWKS
/// over HTTP from itself like every other service does.</summary>
internal sealed class LocalSigningKeys(SigningKeyStore store) : IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var keys = await store.GetAsync(cancel);
        var configuration = new OpenIdConnectConfiguration();
        foreach (var key in keys.PublishedKeys)
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    public void RequestRefresh() => store.Invalidate();
}

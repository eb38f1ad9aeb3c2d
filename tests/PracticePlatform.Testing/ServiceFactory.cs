using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace PracticePlatform.Testing;

/// <summary>
/// Hosts one service in-process against the fixture's real PostgreSQL (in a database of its own) and Redis, with the
/// same configuration keys the AppHost and the runner inject. Extra settings (such as <c>services:content:http:0</c>)
/// go in <see cref="Settings"/> before the first request. The service trusts the access tokens of <see cref="Tokens"/>
/// instead of fetching the users service's keys; <see cref="CreateClient(TestUser)"/> sends one.
/// </summary>
public class ServiceFactory<TProgram>(ServersFixture servers, string connectionName) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    public string DatabaseName { get; } = PostgresFixture.UniqueDatabaseName(connectionName);

    public string ConnectionString => servers.Postgres.ConnectionString(DatabaseName);

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Issues the access tokens the service under test trusts.</summary>
    public TestTokens Tokens { get; } = new();

    /// <summary>Whether the service trusts <see cref="Tokens"/> (the default). The users service's own tests turn this
    /// off to exercise the keys it issues with; set it before the first request.</summary>
    public bool UseTestTokens { get; set; } = true;

    /// <summary>A client whose requests carry a fresh access token for <paramref name="user"/>.</summary>
    public HttpClient CreateClient(TestUser user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Issue(user));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting($"ConnectionStrings:{connectionName}", ConnectionString);
        builder.UseSetting("ConnectionStrings:redis", servers.Redis.ConnectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (UseTestTokens)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IConfigurationManager<OpenIdConnectConfiguration>>();
                services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(Tokens.ConfigurationManager);
            });
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Tokens.Dispose();
        }
    }
}

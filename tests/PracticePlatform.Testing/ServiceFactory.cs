using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Npgsql;

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

    /// <summary>Stops the service, then ends whatever connections to its database are still open: Npgsql keeps the
    /// data source (and idle connections) of every connection string it met after the host is gone, and with a
    /// database per test class those would add up to the server's connection limit.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await using var connection = new NpgsqlConnection($"{servers.Postgres.ConnectionString("postgres")};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = DatabaseName });
        await command.ExecuteScalarAsync();
        GC.SuppressFinalize(this);
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

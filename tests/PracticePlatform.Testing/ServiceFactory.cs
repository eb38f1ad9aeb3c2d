using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PracticePlatform.Testing;

/// <summary>
/// Hosts one service in-process against the fixture's real PostgreSQL (in a database of its own) and Redis, with the
/// same configuration keys the AppHost and the runner inject. Extra settings (such as <c>services:content:http:0</c>)
/// go in <see cref="Settings"/> before the first request.
/// </summary>
public class ServiceFactory<TProgram>(ServersFixture servers, string connectionName) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    public string DatabaseName { get; } = PostgresFixture.UniqueDatabaseName(connectionName);

    public string ConnectionString => servers.Postgres.ConnectionString(DatabaseName);

    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting($"ConnectionStrings:{connectionName}", ConnectionString);
        builder.UseSetting("ConnectionStrings:redis", servers.Redis.ConnectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

using System.Security.Cryptography;
using PracticePlatform.NativeHosting;
using Xunit;

namespace PracticePlatform.Testing;

/// <summary>
/// A throwaway PostgreSQL server for a test collection: a fresh cluster on a free loopback port in a temp folder,
/// started in about a second and deleted afterwards. Works as root (runs as the postgres user) and as anyone else.
/// Tests that need isolation ask for their own database name.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    public string ConnectionString(string database) => Server.ConnectionString(database);

    /// <summary>A database name no other test uses; the service's migrations create it.</summary>
    public static string UniqueDatabaseName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync(new PostgresServerOptions
        {
            Directory = TestDirectories.Create("pg"),
            Port = Ports.GetFree(),
            Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            Throwaway = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

using System.Security.Cryptography;
using PracticePlatform.NativeHosting;
using Xunit;

namespace PracticePlatform.Testing;

/// <summary>A throwaway redis-server on a free loopback port, with a password, removed afterwards.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis fixture has not started.");

    /// <summary>In the format Aspire injects: <c>127.0.0.1:port,password=...</c>.</summary>
    public string ConnectionString => Server.ConnectionString;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync(new RedisServerOptions
        {
            Directory = TestDirectories.Create("redis"),
            Port = Ports.GetFree(),
            Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
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

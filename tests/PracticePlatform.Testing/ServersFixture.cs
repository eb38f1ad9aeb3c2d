using Xunit;

namespace PracticePlatform.Testing;

/// <summary>The two servers every service needs, PostgreSQL and Redis, started together for a test collection.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public PostgresFixture Postgres { get; } = new();

    public RedisFixture Redis { get; } = new();

    public Task InitializeAsync() => Task.WhenAll(Postgres.InitializeAsync(), Redis.InitializeAsync());

    public Task DisposeAsync() => Task.WhenAll(Postgres.DisposeAsync(), Redis.DisposeAsync());
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.EntityFrameworkCore.Tests;

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}

public static class WardDatabase
{
    /// <summary>A fresh database with the test model (the ward tables, the outbox and the inbox).</summary>
    public static async Task<string> CreateAsync(PostgresFixture postgres)
    {
        var connectionString = postgres.ConnectionString(PostgresFixture.UniqueDatabaseName("ward"));
        await using var db = new WardDbContext(new DbContextOptionsBuilder<WardDbContext>().UseNpgsql(connectionString).Options);
        await db.Database.EnsureCreatedAsync();
        return connectionString;
    }

    /// <summary>A context without the outbox interceptor: what is left in the database when a process died right
    /// after committing.</summary>
    public static WardDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<WardDbContext>().UseNpgsql(connectionString).Options);
}

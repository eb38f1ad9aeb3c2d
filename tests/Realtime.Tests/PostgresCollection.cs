using PracticePlatform.Testing;

namespace PracticePlatform.Realtime.Tests;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

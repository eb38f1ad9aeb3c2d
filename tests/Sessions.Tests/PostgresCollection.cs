using PracticePlatform.Testing;

namespace PracticePlatform.Sessions.Tests;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

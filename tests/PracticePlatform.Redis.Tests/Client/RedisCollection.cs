using PracticePlatform.Testing;

namespace PracticePlatform.Redis.Tests.Client;

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}

using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.Tests;

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}

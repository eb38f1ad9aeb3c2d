using PracticePlatform.Testing;

namespace PracticePlatform.Sessions.Tests;

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}

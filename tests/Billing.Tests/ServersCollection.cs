using PracticePlatform.Testing;

namespace PracticePlatform.Billing.Tests;

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Redis;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

/// <summary>Re-announcing published versions for services that keep copies of them (ai).</summary>
[Collection(ServersCollection.Name)]
public sealed class RepublishTests : IAsyncLifetime
{
    private const string Republish = "/v1/content/admin/scenarios/republish";

    private readonly ServiceFactory<Program> _factory;

    public RepublishTests(ServersFixture servers)
    {
        _factory = new ServiceFactory<Program>(servers, "contentdb");
        ContentTestHost.Isolate(_factory);
    }

    public async Task InitializeAsync() => (await _factory.CreateClient().GetAsync("/alive")).EnsureSuccessStatusCode();

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_platform_admin_announces_every_published_version_again_with_its_document()
    {
        var redis = _factory.Services.GetRequiredService<RedisClient>();
        var stream = $"events-{_factory.DatabaseName}:ScenarioPublished";
        var seeds = SeedLibraryCount();
        await WaitForAsync(async () => await redis.StreamLengthAsync(stream) >= seeds);
        var before = await redis.StreamLengthAsync(stream);

        using var admin = _factory.CreateClient(TestUser.PlatformAdmin());
        var response = await admin.PostAsync(Republish, null);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<RepublishResult>())!.Announced.Should().Be(seeds);
        await WaitForAsync(async () => await redis.StreamLengthAsync(stream) == before + seeds);
        var latest = await redis.StreamRangeAsync(stream, "-", "+");
        latest[^1].Fields.Values.Should().Contain(v => v.Contains("\"hiddenFacts\"", StringComparison.Ordinal), "the event carries the whole document");
    }

    [Theory]
    [InlineData("learner", HttpStatusCode.Forbidden)]
    [InlineData("educator", HttpStatusCode.Forbidden)]
    [InlineData("institution admin", HttpStatusCode.Forbidden)]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    public async Task Nobody_else_may(string caller, HttpStatusCode expected)
    {
        var institution = Guid.CreateVersion7();
        using var client = caller switch
        {
            "learner" => _factory.CreateClient(TestUser.Learner(institution)),
            "educator" => _factory.CreateClient(TestUser.Educator(institution)),
            "institution admin" => _factory.CreateClient(TestUser.InstitutionAdmin(institution)),
            _ => _factory.CreateClient(),
        };

        await (await client.PostAsync(Republish, null)).ShouldBeProblemAsync(expected);
    }

    private static int SeedLibraryCount() => Infrastructure.SeedLibrary.Load().Count;

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the outbox relay should send the events within 15 s");
            await Task.Delay(50);
        }
    }
}

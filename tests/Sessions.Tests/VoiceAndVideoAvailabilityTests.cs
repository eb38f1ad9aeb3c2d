using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Testing;

namespace PracticePlatform.Sessions.Tests;

/// <summary>Without LiveKit, voice and video sessions are refused with a clear problem; text always works.</summary>
[Collection(ServersCollection.Name)]
public sealed class VoiceAndVideoAvailabilityTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly ServiceFactory<Program> _factory = new(servers, "sessionsdb");
    private ContentStandIn _content = null!;
    private BillingStandIn _billing = null!;

    public async Task InitializeAsync()
    {
        _content = await ContentStandIn.StartAsync();
        _billing = await BillingStandIn.StartAsync();
        _factory.Settings["services:billing:http:0"] = _billing.Address;
        _factory.Settings["services:content:http:0"] = _content.Address;
        _factory.Settings["services:realtime:http:0"] = "http://localhost:5104";
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _content.DisposeAsync();
        await _billing.DisposeAsync();
    }

    [Theory]
    [InlineData("voice")]
    [InlineData("video")]
    public async Task Without_LiveKit_a_voice_or_video_session_is_a_422_problem_and_nothing_is_stored(string mode)
    {
        using var learner = _factory.CreateClient(TestUser.Learner(Guid.CreateVersion7()));

        var response = await learner.PostAsJsonAsync("/v1/sessions", new { scenarioId = _content.Publish(version: 1), mode });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString().Should().Contain("LiveKit").And.Contain("text mode");
        _content.Requests.Should().Be(0, "the refusal comes before anything else is asked or stored");
        await using var scope = _factory.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<SessionsDbContext>().PracticeSessions.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Without_LiveKit_a_text_session_starts()
    {
        using var learner = _factory.CreateClient(TestUser.Learner(Guid.CreateVersion7()));

        var response = await learner.PostAsJsonAsync("/v1/sessions", new { scenarioId = _content.Publish(version: 1), mode = "text" });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}

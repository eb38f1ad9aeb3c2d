using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.EventHandling;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Testing;

namespace PracticePlatform.Ai.Tests;

/// <summary>
/// The simulated patient over HTTP: ai keeps its own copy of each published scenario version (from ScenarioPublished)
/// and streams the patient's reply as NDJSON, metering every reply; another institution's scenario is "not found".
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class ReplyStreamingTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Replies = "/v1/ai/patient/replies";

    private readonly ServiceFactory<Program> _factory = new(servers, "aidb");
    private readonly TestUser _learner = TestUser.Learner(Guid.CreateVersion7());
    private readonly Guid _scenarioId = Guid.CreateVersion7();

    public async Task InitializeAsync()
    {
        _factory.Settings["EventBus:StreamPrefix"] = $"events-{_factory.DatabaseName}";
        using var client = _factory.CreateClient();
        (await client.GetAsync("/alive")).EnsureSuccessStatusCode();
        await PublishAsync(_scenarioId, institutionId: null, "acute-chest-pain-emergency-department");
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task The_reply_streams_as_delta_lines_then_a_done_line_and_is_metered()
    {
        using var client = _factory.CreateClient(_learner);
        var sessionId = Guid.CreateVersion7();

        var response = await client.PostAsJsonAsync(Replies, Request(sessionId, "Hello, I'm one of the doctors. What brought you in today?"));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-ndjson");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Should().HaveCountGreaterThan(1);
        lines[..^1].Should().OnlyContain(l => l.GetProperty("type").GetString() == "delta");
        var done = lines[^1];
        done.GetProperty("type").GetString().Should().Be("done");
        done.GetProperty("text").GetString().Should().Be(string.Concat(lines[..^1].Select(l => l.GetProperty("text").GetString())));
        done.GetProperty("text").GetString().Should().NotBeNullOrWhiteSpace();
        done.GetProperty("provider").GetString().Should().Be("offline");

        await using var scope = _factory.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<AiDbContext>().PatientReplyUsages.SingleAsync(u => u.PracticeSessionId == sessionId);
        usage.LearnerId.Should().Be(_learner.Id);
        usage.Provider.Should().Be("offline");
        usage.ScenarioId.Should().Be(_scenarioId);
        usage.OutputTokens.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_hidden_fact_comes_only_after_the_question_that_asks_for_it()
    {
        using var client = _factory.CreateClient(_learner);
        var before = await ReplyTextAsync(client, Request(Guid.CreateVersion7(), "How are you feeling right now?"));
        var after = await ReplyTextAsync(client, Request(Guid.CreateVersion7(), "Have you taken any recreational drugs recently?"));

        before.Should().NotContainEquivalentOf("cocaine");
        after.Should().ContainEquivalentOf("cocaine");
    }

    [Fact]
    public async Task Another_institutions_scenario_or_an_unknown_version_is_not_found()
    {
        var privateScenario = Guid.CreateVersion7();
        await PublishAsync(privateScenario, Guid.CreateVersion7(), "lung-cancer-breaking-bad-news");
        using var client = _factory.CreateClient(_learner);

        var foreign = await client.PostAsJsonAsync(Replies, Request(Guid.CreateVersion7(), "Hello", privateScenario));
        var unknown = await client.PostAsJsonAsync(Replies, Request(Guid.CreateVersion7(), "Hello", _scenarioId, version: 7));

        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_requests_are_400_problems_and_anonymous_callers_401()
    {
        using var client = _factory.CreateClient(_learner);
        var tooLong = await client.PostAsJsonAsync(Replies, Request(Guid.CreateVersion7(), new string('a', 2001)));
        var anonymous = await _factory.CreateClient().PostAsJsonAsync(Replies, Request(Guid.CreateVersion7(), "Hello"));
        using var content = new StringContent("""{"sessionId":"x"}""", Encoding.UTF8, "application/json");
        var malformed = await client.PostAsync(Replies, content);

        await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await malformed.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_redelivered_ScenarioPublished_keeps_one_copy()
    {
        await PublishAsync(_scenarioId, institutionId: null, "acute-chest-pain-emergency-department");

        await using var scope = _factory.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<AiDbContext>().ScenarioSnapshots.CountAsync(s => s.ScenarioId == _scenarioId)).Should().Be(1);
    }

    private object Request(Guid sessionId, string utterance, Guid? scenarioId = null, int version = 1) => new
    {
        sessionId,
        scenarioId = scenarioId ?? _scenarioId,
        scenarioVersion = version,
        history = Array.Empty<object>(),
        utterance,
    };

    private static async Task<string> ReplyTextAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync(Replies, request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var last = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonDocument.Parse(last).RootElement.GetProperty("text").GetString()!;
    }

    /// <summary>Hands ai a seed scenario as content's ScenarioPublished would.</summary>
    private async Task PublishAsync(Guid scenarioId, Guid? institutionId, string slug)
    {
        var path = Path.Combine(RepositoryRoot.Path, "services", "Content", "Infrastructure", "SeedLibrary", $"{slug}.json");
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;
        await using var scope = _factory.Services.CreateAsyncScope();
        var handler = ActivatorUtilities.CreateInstance<ScenarioPublishedHandler>(scope.ServiceProvider);
        await handler.HandleAsync(
            new ScenarioPublished(scenarioId, 1, institutionId, slug, document.GetProperty("title").GetString()!, DateTimeOffset.UtcNow, document),
            CancellationToken.None);
    }
}

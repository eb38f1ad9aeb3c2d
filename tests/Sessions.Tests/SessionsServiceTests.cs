using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Sessions.Tests;

[Collection(ServersCollection.Name)]
public sealed partial class SessionsServiceTests : ServiceConformanceTests<Program, SessionsDbContext>
{
    private const string Sessions = "/v1/sessions";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private readonly Guid _institution = Guid.CreateVersion7();

    /// <summary>The owner's cohort: the educators who teach it may read the owner's records.</summary>
    private readonly Guid _cohort = Guid.CreateVersion7();
    private readonly TestUser _learner;
    private ContentStandIn _content = null!;
    private BillingStandIn _billing = null!;

    public SessionsServiceTests(ServersFixture servers)
        : base(servers, "sessionsdb") => _learner = TestUser.Learner(_institution, _cohort);

    /// <summary>The learner who starts the sessions of these tests.</summary>
    private HttpClient Learner { get; set; } = null!;

    protected override string DocumentedPath => "/v1/sessions/{id}/end";

    public override async Task InitializeAsync()
    {
        _content = await ContentStandIn.StartAsync();
        _billing = await BillingStandIn.StartAsync();
        Factory.Settings["services:billing:http:0"] = _billing.Address;
        Factory.Settings["services:content:http:0"] = _content.Address;
        Factory.Settings["LiveKit:Url"] = "wss://livekit.test";
        Factory.Settings["services:realtime:http:0"] = "http://localhost:5104";
        Factory.Settings["HttpClientDefaults:Resilience:RetryBaseDelay"] = "00:00:00.010";
        await base.InitializeAsync();
        Learner = CreateClient(_learner);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _content.DisposeAsync();
        await _billing.DisposeAsync();
    }

    private Task<HttpResponseMessage> StartAsync(Guid scenarioId, string mode = "text") =>
        Learner.PostAsJsonAsync(Sessions, new { scenarioId, mode });

    private async Task<StartedSession> StartedAsync(Guid scenarioId)
    {
        var response = await StartAsync(scenarioId);
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<StartedSession>(Json))!;
    }

    private async Task<HttpResponseMessage> PostRawAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Learner.PostAsync(Sessions, content);
    }

    private async Task<int> StoredSessionsAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SessionsDbContext>().PracticeSessions.CountAsync();
    }

    [Fact]
    public async Task Starting_a_session_pins_the_version_content_published_and_says_where_to_talk()
    {
        var scenarioId = _content.Publish(version: 7);

        var response = await StartAsync(scenarioId, "voice");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var started = (await response.Content.ReadFromJsonAsync<StartedSession>(Json))!;
        started.Id.Should().NotBeEmpty();
        started.ScenarioId.Should().Be(scenarioId);
        started.ScenarioVersion.Should().Be(7);
        started.Mode.Should().Be(SessionMode.Voice);
        started.Status.Should().Be(SessionStatus.Active);
        started.RealtimeUrl.Should().Be(new Uri($"ws://localhost:5104/v1/realtime/sessions/{started.Id}"));
        response.Headers.Location.Should().Be(new Uri($"{Sessions}/{started.Id}", UriKind.Relative));
        _content.Requests.Should().Be(1);
        _content.LastAuthorization.Should().Be(Learner.DefaultRequestHeaders.Authorization!.ToString(),
            "content is asked as the learner, with their own token");
    }

    [Fact]
    public async Task A_started_session_is_stored_and_read_back_at_its_location()
    {
        var scenarioId = _content.Publish(version: 3);
        var response = await StartAsync(scenarioId, "video");
        var started = (await response.Content.ReadFromJsonAsync<StartedSession>(Json))!;

        var session = await Learner.GetFromJsonAsync<PracticeSessionDetails>(response.Headers.Location, Json);

        session!.Id.Should().Be(started.Id);
        session.LearnerId.Should().Be(_learner.Id, "the session belongs to whoever started it");
        session.InstitutionId.Should().Be(_institution);
        session.ScenarioId.Should().Be(scenarioId);
        session.ScenarioVersion.Should().Be(3);
        session.Mode.Should().Be(SessionMode.Video);
        session.Status.Should().Be(SessionStatus.Active);
        session.StartedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        session.EndedAt.Should().BeNull();
    }

    [Fact]
    public async Task A_scenario_content_does_not_know_is_a_422_problem_and_starts_nothing()
    {
        var unknown = Guid.CreateVersion7();

        var response = await StartAsync(unknown);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString().Should().Contain(unknown.ToString());
        _content.Requests.Should().Be(1, "a 404 from content is an answer, not a failure to retry");
        (await StoredSessionsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Content_failing_is_a_503_problem_after_retrying_and_starts_nothing()
    {
        var scenarioId = _content.Publish(version: 1);
        _content.FailWith = StatusCodes.Status500InternalServerError;

        var response = await StartAsync(scenarioId);

        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        _content.Requests.Should().BeGreaterThan(1, "reading a scenario is safe to repeat");
        (await StoredSessionsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Content_being_unreachable_is_a_503_problem_and_starts_nothing()
    {
        var scenarioId = _content.Publish(version: 1);
        await _content.StopAsync();

        var response = await StartAsync(scenarioId);

        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        (await StoredSessionsAsync()).Should().Be(0);
    }

    [Theory]
    [InlineData("""{"scenarioId":"0199c0de-5ce0-7000-8000-000000000001","mode":"telepathy"}""", "Path: $.mode")]
    [InlineData("""{"scenarioId":"0199c0de-5ce0-7000-8000-000000000001","mode":1}""", "Path: $.mode")]
    [InlineData("""{"scenarioId":"0199c0de-5ce0-7000-8000-000000000001"}""", "missing required properties including: 'mode'")]
    [InlineData("""{"scenarioId":"0199c0de-5ce0-7000-8000-000000000001","mode":"text""", "reached end of data")]
    [InlineData("""{"scenarioId":}""", "is an invalid start of a value")]
    public async Task A_body_that_cannot_be_read_is_a_400_problem_saying_why_and_never_asks_content(string body, string reason)
    {
        var response = await PostRawAsync(body);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().Should().Be("The request could not be read.");
        problem.GetProperty("detail").GetString().Should().Contain(reason);
        _content.Requests.Should().Be(0);
        (await StoredSessionsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task An_empty_scenario_id_is_a_400_problem_naming_the_field()
    {
        var response = await PostRawAsync("""{"scenarioId":"00000000-0000-0000-0000-000000000000","mode":"text"}""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal("scenarioId");
        _content.Requests.Should().Be(0);
        (await StoredSessionsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Ending_a_session_completes_it_with_an_end_time()
    {
        var started = await StartedAsync(_content.Publish(version: 2));

        var response = await Learner.PostAsync($"{Sessions}/{started.Id}/end", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var ended = (await response.Content.ReadFromJsonAsync<PracticeSessionDetails>(Json))!;
        ended.Status.Should().Be(SessionStatus.Completed);
        ended.EndedAt.Should().NotBeNull().And.BeOnOrAfter(ended.StartedAt);
        var stored = await Learner.GetFromJsonAsync<PracticeSessionDetails>($"{Sessions}/{started.Id}", Json);
        stored.Should().BeEquivalentTo(ended);
    }

    [Fact]
    public async Task Ending_a_session_twice_is_a_409_problem_and_keeps_the_first_end_time()
    {
        var started = await StartedAsync(_content.Publish(version: 2));
        var first = await (await Learner.PostAsync($"{Sessions}/{started.Id}/end", null))
            .Content.ReadFromJsonAsync<PracticeSessionDetails>(Json);

        var response = await Learner.PostAsync($"{Sessions}/{started.Id}/end", null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString().Should().Contain("completed");
        var stored = await Learner.GetFromJsonAsync<PracticeSessionDetails>($"{Sessions}/{started.Id}", Json);
        stored!.EndedAt.Should().Be(first!.EndedAt);
    }

    [Fact]
    public async Task Ending_or_reading_an_unknown_session_is_a_404_problem()
    {
        var unknown = Guid.CreateVersion7();

        var ending = await Learner.PostAsync($"{Sessions}/{unknown}/end", null);
        var reading = await Learner.GetAsync($"{Sessions}/{unknown}");

        (await ending.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString().Should().Contain(unknown.ToString());
        (await reading.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString().Should().Contain(unknown.ToString());
    }

    [Fact]
    public async Task Ending_a_session_publishes_PracticeSessionCompleted_once_even_when_ended_concurrently()
    {
        var started = await StartedAsync(_content.Publish(version: 4));

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Learner.PostAsync($"{Sessions}/{started.Id}/end", null)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(4);
        var events = await PublishedCompletionsAsync(started.Id, atLeast: 1);
        await Task.Delay(500);
        events = await PublishedCompletionsAsync(started.Id, atLeast: 1);
        var completed = events.Should().ContainSingle().Subject;
        completed.GetProperty("sessionId").GetGuid().Should().Be(started.Id);
        completed.GetProperty("scenarioVersion").GetInt32().Should().Be(4);
        completed.GetProperty("mode").GetString().Should().Be("text");
        completed.GetProperty("learnerId").GetGuid().Should().Be(_learner.Id);
        completed.GetProperty("institutionId").GetGuid().Should().Be(_institution);
        var stored = await Learner.GetFromJsonAsync<PracticeSessionDetails>($"{Sessions}/{started.Id}", Json);
        completed.GetProperty("endedAt").GetDateTimeOffset().Should().Be(stored!.EndedAt!.Value);
    }

    /// <summary>The PracticeSessionCompleted payloads on the event stream for one session, waiting for the relay.</summary>
    private async Task<List<JsonElement>> PublishedCompletionsAsync(Guid sessionId, int atLeast)
    {
        var redis = Factory.Services.GetRequiredService<PracticePlatform.Redis.RedisClient>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var entries = await redis.StreamRangeAsync("events:PracticeSessionCompleted");
            var mine = entries
                .Select(e => JsonDocument.Parse(e.Fields["payload"]).RootElement)
                .Where(payload => payload.GetProperty("sessionId").GetGuid() == sessionId)
                .ToList();
            if (mine.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                return mine;
            }

            await Task.Delay(50);
        }
    }
}

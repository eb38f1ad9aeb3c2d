using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Ai.Feedback;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.EventHandling;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus;
using PracticePlatform.Redis;
using PracticePlatform.Testing;

namespace PracticePlatform.Ai.Tests;

/// <summary>
/// The feedback pipeline in-process against real PostgreSQL and Redis: a completed session and its final transcript
/// (events, in either order, redelivered or not) become exactly one report with evidence from that transcript, made
/// as an agent execution whose checkpoints let a run that died resume; educators override items, and each override is
/// a new revision of the report and an event for the audit log.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class FeedbackReportTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Feedback = "/v1/ai/feedback";
    private const string ChestPain = "acute-chest-pain-emergency-department";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly (string Speaker, string Text)[] Consultation =
    [
        ("clinician", "Hello, I'm Dr Patel, one of the emergency doctors. Can I just confirm your name and date of birth?"),
        ("patient", "Dave Morris, fourteenth of March seventy-eight."),
        ("clinician", "Thank you. What has brought you in today?"),
        ("patient", "I've got this crushing pain in my chest, it started a couple of hours ago at work."),
        ("clinician", "I'm sorry, that sounds really frightening. Do you smoke at all?"),
        ("patient", "Yeah, about twenty roll-ups a day since I was sixteen."),
        ("clinician", "What do you think might be causing it?"),
        ("patient", "I'm worried it's my heart, my dad died of a heart attack."),
        ("clinician", "So, to summarise: the pain started two hours ago, it's crushing, it came on at work, and you smoke twenty a day."),
        ("patient", "That's right."),
        ("clinician", "I think this could be your heart, so we'll do an ECG, which is a tracing of the heart, and a blood test called troponin."),
        ("clinician", "Does that make sense? If the pain gets worse, tell the nurse straight away. Do you have any questions?"),
        ("patient", "No, that's fine."),
    ];

    private readonly ServiceFactory<Program> _factory = NewFactory(servers);
    private readonly Guid _institution = Guid.CreateVersion7();
    private readonly Guid _cohort = Guid.CreateVersion7();
    private readonly Guid _scenarioId = Guid.CreateVersion7();
    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly ServersFixture _servers = servers;
    private TestUser _learner = null!;

    public async Task InitializeAsync()
    {
        _learner = TestUser.Learner(_institution, _cohort);
        using var client = _factory.CreateClient();
        (await client.GetAsync("/alive")).EnsureSuccessStatusCode();
        await PublishScenarioAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_completed_session_gets_one_report_of_every_rubric_item_with_evidence_quoted_from_its_transcript()
    {
        var (completed, transcript) = Session();

        await PublishAsync(completed);
        (await PollAsync(completed.SessionId, HttpStatusCode.Accepted)).StatusCode
            .Should().Be(HttpStatusCode.Accepted, "the report is being prepared until the transcript arrives");
        await PublishAsync(transcript);
        var report = await ReportAsync(completed.SessionId);

        report.GetProperty("status").GetString().Should().Be("completed");
        var items = report.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("code").GetString()).Take(16).Should().Equal(ConsultationRubric.Codes);
        items.Skip(16).Should().NotBeEmpty("the scenario's own content items follow the essentials")
            .And.OnlyContain(i => i.GetProperty("kind").GetString() == "content");
        var turns = transcript.Turns.ToDictionary(t => t.Index);
        foreach (var evidence in items.SelectMany(i => i.GetProperty("evidence").EnumerateArray()))
        {
            var turn = turns[evidence.GetProperty("turn").GetInt32()];
            turn.Speaker.Should().Be("clinician");
            turn.Text.Should().Contain(evidence.GetProperty("quote").GetString());
        }

        Item(items, "greeting").GetProperty("present").GetBoolean().Should().BeTrue();
        Item(items, "greeting").GetProperty("evidence")[0].GetProperty("turn").GetInt32().Should().Be(0);
        Item(items, "identity_check").GetProperty("present").GetBoolean().Should().BeTrue();
        Item(items, "safety_net").GetProperty("present").GetBoolean().Should().BeTrue();
        Item(items, "expectations").GetProperty("present").GetBoolean().Should().BeFalse();
        Item(items, "expectations").GetProperty("suggestion").GetString().Should().NotBeNullOrWhiteSpace();
        report.GetProperty("globalRating").GetInt32().Should().BeInRange(1, 5);
        report.GetProperty("goals").GetArrayLength().Should().BeGreaterThan(0);
        var engine = report.GetProperty("engine");
        engine.GetProperty("name").GetString().Should().Be("offline");
        engine.GetProperty("rubricVersion").GetString().Should().Be(ConsultationRubric.Version);
        engine.GetProperty("promptVersion").GetString().Should().NotBeNullOrEmpty();
        report.GetProperty("revision").GetInt32().Should().Be(1);
        report.GetProperty("comparison").GetProperty("previousAttempts").GetInt32().Should().Be(0);

        var generated = await PublishedAsync("FeedbackReportGenerated", completed.SessionId, count: 1);
        generated[0].GetProperty("revision").GetInt32().Should().Be(1);
        generated[0].GetProperty("cohortId").GetGuid().Should().Be(_cohort);
        generated[0].GetProperty("items").GetArrayLength().Should().Be(items.Count);
        var usage = await InDatabaseAsync(db => db.FeedbackUsages.Where(u => u.PracticeSessionId == completed.SessionId).ToListAsync());
        usage.Should().ContainSingle().Which.Provider.Should().Be("offline");
        var billed = (await PublishedAsync("AiUsageRecorded", completed.SessionId, count: 1))[0];
        billed.GetProperty("usageId").GetGuid().Should().Be(usage[0].Id, "billing counts each usage record once by its id");
        billed.GetProperty("purpose").GetString().Should().Be("feedback_report");
        billed.GetProperty("learnerId").GetGuid().Should().Be(_learner.Id);
    }

    [Fact]
    public async Task Redelivered_and_duplicated_events_in_any_order_still_make_exactly_one_report()
    {
        var (completed, transcript) = Session();
        var sameCompletionAgain = completed with { Id = Guid.CreateVersion7() };

        await PublishAsync(transcript);
        await PublishAsync(completed);
        await PublishAsync(transcript);
        await PublishAsync(sameCompletionAgain);
        await PublishAsync(completed);
        var report = await ReportAsync(completed.SessionId);

        report.GetProperty("revision").GetInt32().Should().Be(1);
        var (marker, markerTranscript) = Session();
        await PublishAsync(marker);
        await PublishAsync(markerTranscript);
        await ReportAsync(marker.SessionId);
        (await InDatabaseAsync(db => db.FeedbackReports.CountAsync(r => r.PracticeSessionId == completed.SessionId))).Should().Be(1);
        (await InDatabaseAsync(db => db.AgentExecutions.CountAsync(e => e.SubjectId == completed.SessionId))).Should().Be(1);
        (await InDatabaseAsync(db => db.FeedbackUsages.CountAsync(u => u.PracticeSessionId == completed.SessionId))).Should().Be(1);
        await PublishedAsync("FeedbackReportGenerated", completed.SessionId, count: 1);
    }

    [Fact]
    public async Task A_report_whose_worker_died_mid_run_resumes_from_its_last_checkpoint_and_is_made_once()
    {
        // Two hosts on one database of their own: the dying one runs first; the survivor starts only after it is gone.
        var survivor = NewHost();
        var stalled = new StalledEngine();
        var dying = survivor.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IFeedbackEngine>(stalled)));
        var (completed, transcript) = Session();
        await using (var scope = dying.Services.CreateAsyncScope())
        {
            // Deliver through the dying host only: the handlers are the same code the bus runs.
            await HandleAsync(scope.ServiceProvider, completed);
            await HandleAsync(scope.ServiceProvider, transcript);
        }

        await stalled.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var inputs = await InDatabaseAsync(dying, db => db.AgentCheckpoints.AsNoTracking().SingleAsync(c => c.Step == "inputs"
            && db.AgentExecutions.Any(e => e.Id == c.ExecutionId && e.SubjectId == completed.SessionId)));
        (await InDatabaseAsync(dying, db => db.FeedbackReports.SingleAsync(r => r.PracticeSessionId == completed.SessionId))).Status
            .Should().Be(FeedbackStatus.Pending);
        await dying.DisposeAsync();

        // The survivor resumes the run once the dead worker's lease has run out.
        var report = await ReportAsync(completed.SessionId, survivor.CreateClient(_learner));

        report.GetProperty("status").GetString().Should().Be("completed");
        report.GetProperty("engine").GetProperty("name").GetString().Should().Be("offline");
        var execution = await InDatabaseAsync(survivor, db => db.AgentExecutions.AsNoTracking().SingleAsync(e => e.SubjectId == completed.SessionId));
        execution.Status.Should().Be(AgentExecutionStatus.Succeeded);
        execution.Attempts.Should().Be(2);
        var checkpoints = await InDatabaseAsync(survivor, db => db.AgentCheckpoints.AsNoTracking().Where(c => c.ExecutionId == execution.Id).ToListAsync());
        checkpoints.Select(c => c.Step).Should().BeEquivalentTo("inputs", "assessment");
        checkpoints.Single(c => c.Step == "inputs").At.Should().Be(inputs.At, "the resumed run starts after its checkpoint, not over");
        (await InDatabaseAsync(survivor, db => db.FeedbackUsages.CountAsync(u => u.PracticeSessionId == completed.SessionId))).Should().Be(1);
        await PublishedAsync(survivor, "FeedbackReportGenerated", completed.SessionId, count: 1);
    }

    [Fact]
    public async Task A_report_that_keeps_failing_is_retried_then_marked_failed_and_says_so()
    {
        var host = NewHost();
        var failing = host.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Ai:Feedback:MaxAttempts", "2");
            builder.ConfigureTestServices(services => services.AddSingleton<IFeedbackEngine>(new FailingEngine()));
        });
        _hosts.Add(failing);
        var (completed, transcript) = Session();
        await using (var scope = failing.Services.CreateAsyncScope())
        {
            await HandleAsync(scope.ServiceProvider, completed);
            await HandleAsync(scope.ServiceProvider, transcript);
        }

        using var client = failing.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", host.Tokens.Issue(_learner));
        var report = await ReportAsync(completed.SessionId, client, timeout: TimeSpan.FromSeconds(30));

        report.GetProperty("status").GetString().Should().Be("failed");
        report.GetProperty("failureReason").GetString().Should().NotBeNullOrWhiteSpace();
        var execution = await InDatabaseAsync(failing, db => db.AgentExecutions.AsNoTracking().SingleAsync(e => e.SubjectId == completed.SessionId));
        (execution.Status, execution.Attempts).Should().Be((AgentExecutionStatus.Failed, 2));
        execution.LastError.Should().Contain("engine is down");
    }

    [Fact]
    public async Task An_educator_of_the_learners_cohort_overrides_an_item_the_learner_sees_both_and_it_is_published_for_progress_and_audit()
    {
        var (completed, transcript) = Session();
        await PublishAsync(completed);
        await PublishAsync(transcript);
        await ReportAsync(completed.SessionId);
        var educator = TestUser.Educator(_institution, _cohort);
        var path = $"{Feedback}/{completed.SessionId}/items/expectations/override";

        var response = await _factory.CreateClient(educator).PostAsJsonAsync(path, new { present = true, reason = "Asked what he hoped we would do, at turn 6." });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var seen = await ReportAsync(completed.SessionId);
        var item = Item(seen.GetProperty("items").EnumerateArray().ToList(), "expectations");
        item.GetProperty("present").GetBoolean().Should().BeFalse("the engine's call stays visible");
        var correction = item.GetProperty("override");
        correction.GetProperty("present").GetBoolean().Should().BeTrue();
        correction.GetProperty("score").GetDouble().Should().Be(1);
        correction.GetProperty("reason").GetString().Should().Be("Asked what he hoped we would do, at turn 6.");
        correction.GetProperty("by").GetGuid().Should().Be(educator.Id);
        seen.GetProperty("revision").GetInt32().Should().Be(2);

        var revisions = await PublishedAsync("FeedbackReportGenerated", completed.SessionId, count: 2);
        var latest = revisions.Single(r => r.GetProperty("revision").GetInt32() == 2);
        var outcome = latest.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "expectations");
        (outcome.GetProperty("present").GetBoolean(), outcome.GetProperty("overridden").GetBoolean()).Should().Be((true, true));
        var audit = (await PublishedAsync("FeedbackItemOverridden", completed.SessionId, count: 1))[0];
        audit.GetProperty("educatorId").GetGuid().Should().Be(educator.Id);
        audit.GetProperty("itemCode").GetString().Should().Be("expectations");
        (await InDatabaseAsync(db => db.FeedbackOverrides.CountAsync(o => o.PracticeSessionId == completed.SessionId))).Should().Be(1);
    }

    [Theory]
    [InlineData("other cohort", HttpStatusCode.NotFound)]
    [InlineData("other institution", HttpStatusCode.NotFound)]
    [InlineData("learner", HttpStatusCode.Forbidden)]
    [InlineData("unknown item", HttpStatusCode.NotFound)]
    [InlineData("no reason", HttpStatusCode.BadRequest)]
    [InlineData("score out of range", HttpStatusCode.BadRequest)]
    [InlineData("present and score disagree", HttpStatusCode.BadRequest)]
    [InlineData("nothing to set", HttpStatusCode.BadRequest)]
    public async Task An_override_that_is_not_allowed_or_not_valid_is_a_problem_and_changes_nothing(string what, HttpStatusCode expected)
    {
        var (completed, transcript) = Session();
        await PublishAsync(completed);
        await PublishAsync(transcript);
        await ReportAsync(completed.SessionId);
        var teacher = TestUser.Educator(_institution, _cohort);
        var (caller, code, body) = what switch
        {
            "other cohort" => (TestUser.Educator(_institution, Guid.CreateVersion7()), "empathy", (object)new { present = false, reason = "Not really empathic." }),
            "other institution" => (TestUser.Educator(Guid.CreateVersion7(), _cohort), "empathy", new { present = false, reason = "Not really empathic." }),
            "learner" => (_learner, "empathy", new { present = true, reason = "I was empathic." }),
            "unknown item" => (teacher, "bedside_manner", new { present = true, reason = "Lovely manner." }),
            "no reason" => (teacher, "empathy", new { present = false, reason = " " }),
            "score out of range" => (teacher, "empathy", new { score = 1.5, reason = "Very empathic." }),
            "present and score disagree" => (teacher, "empathy", new { present = true, score = 0.0, reason = "Make up your mind." }),
            _ => (teacher, "empathy", (object)new { reason = "Nothing to say." }),
        };

        var response = await _factory.CreateClient(caller).PostAsJsonAsync($"{Feedback}/{completed.SessionId}/items/{code}/override", body);

        await response.ShouldBeProblemAsync(expected);
        var report = await ReportAsync(completed.SessionId);
        report.GetProperty("revision").GetInt32().Should().Be(1);
        report.GetProperty("items").EnumerateArray().Should().OnlyContain(i => i.GetProperty("override").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_pending_report_cannot_be_overridden()
    {
        var (completed, _) = Session();
        await PublishAsync(completed);
        await PollAsync(completed.SessionId, HttpStatusCode.Accepted);

        var response = await _factory.CreateClient(TestUser.Educator(_institution, _cohort))
            .PostAsJsonAsync($"{Feedback}/{completed.SessionId}/items/empathy/override", new { present = true, reason = "Kind words throughout." });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_second_attempt_at_the_same_scenario_is_compared_with_the_first()
    {
        var (first, firstTranscript) = Session(endedMinutesAgo: 30, turns: Consultation[..4]);
        await PublishAsync(first);
        await PublishAsync(firstTranscript);
        var before = await ReportAsync(first.SessionId);
        var (second, secondTranscript) = Session(endedMinutesAgo: 1);

        await PublishAsync(second);
        await PublishAsync(secondTranscript);
        var after = await ReportAsync(second.SessionId);

        var comparison = after.GetProperty("comparison");
        comparison.GetProperty("previousAttempts").GetInt32().Should().Be(1);
        comparison.GetProperty("previousGlobalRating").GetInt32().Should().Be(before.GetProperty("globalRating").GetInt32());
        comparison.GetProperty("globalRatingChange").GetInt32().Should().Be(
            after.GetProperty("globalRating").GetInt32() - before.GetProperty("globalRating").GetInt32());
        comparison.GetProperty("nowPresent").EnumerateArray().Select(c => c.GetString()).Should().Contain(["summary", "explanation", "safety_net"]);
    }

    private (PracticeSessionCompleted Completed, TranscriptFinalized Transcript) Session(
        int endedMinutesAgo = 0, (string Speaker, string Text)[]? turns = null)
    {
        var sessionId = Guid.CreateVersion7();
        var ended = DateTimeOffset.UtcNow.AddMinutes(-endedMinutesAgo);
        var completed = new PracticeSessionCompleted(
            sessionId, _scenarioId, 1, "text", ended.AddMinutes(-10), ended, _learner.Id, _institution, _cohort);
        var transcript = new TranscriptFinalized(
            sessionId,
            ended,
            (turns ?? Consultation).Select((t, i) => new SessionTranscriptTurn(i, t.Speaker, t.Text, ended.AddMinutes(-10).AddSeconds(i * 20))).ToList());
        return (completed, transcript);
    }

    private static JsonElement Item(List<JsonElement> items, string code) =>
        items.FirstOrDefault(i => i.GetProperty("code").GetString() == code);

    private async Task PublishAsync(IntegrationEvent @event) =>
        await _factory.Services.GetRequiredService<IEventBus>().PublishAsync(@event);

    private static async Task HandleAsync(IServiceProvider services, IntegrationEvent @event)
    {
        var db = services.GetRequiredService<AiDbContext>();
        switch (@event)
        {
            case PracticeSessionCompleted completed:
                await ActivatorUtilities.CreateInstance<PracticeSessionCompletedHandler>(services).HandleAsync(completed, CancellationToken.None);
                break;
            case TranscriptFinalized transcript:
                await ActivatorUtilities.CreateInstance<TranscriptFinalizedHandler>(services).HandleAsync(transcript, CancellationToken.None);
                break;
        }

        db.ChangeTracker.Clear();
    }

    private async Task<JsonElement> ReportAsync(Guid sessionId, HttpClient? client = null, TimeSpan? timeout = null)
    {
        var response = await PollAsync(sessionId, HttpStatusCode.OK, client, timeout);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    private async Task<HttpResponseMessage> PollAsync(Guid sessionId, HttpStatusCode expected, HttpClient? client = null, TimeSpan? timeout = null)
    {
        client ??= _factory.CreateClient(_learner);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var response = await client.GetAsync($"{Feedback}/{sessionId}");
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The events of <paramref name="eventType"/> about the session on the bus, once there are
    /// <paramref name="count"/> of them (and a moment longer, so a surplus one would be seen).</summary>
    private Task<List<JsonElement>> PublishedAsync(string eventType, Guid sessionId, int count) =>
        PublishedAsync(_factory, eventType, sessionId, count);

    private static async Task<List<JsonElement>> PublishedAsync(ServiceFactory<Program> host, string eventType, Guid sessionId, int count)
    {
        var redis = host.Services.GetRequiredService<RedisClient>();
        async Task<List<JsonElement>> ReadAsync() =>
            (await redis.StreamRangeAsync($"events-{host.DatabaseName}:{eventType}"))
                .Select(e => JsonDocument.Parse(e.Fields["payload"]).RootElement)
                .Where(p => p.GetProperty("sessionId").GetGuid() == sessionId)
                .ToList();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await ReadAsync()).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(500);
        var events = await ReadAsync();
        events.Should().HaveCount(count, $"{eventType} should be published {count} time(s) for the session");
        return events;
    }

    private Task<T> InDatabaseAsync<T>(Func<AiDbContext, Task<T>> query) => InDatabaseAsync(_factory, query);

    private static async Task<T> InDatabaseAsync<T>(WebApplicationFactory<Program> host, Func<AiDbContext, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AiDbContext>());
    }

    /// <summary>A host with a database of its own, started on first use and disposed with the test.</summary>
    private ServiceFactory<Program> NewHost()
    {
        var host = NewFactory(_servers);
        _hosts.Add(host);
        return host;
    }

    private static ServiceFactory<Program> NewFactory(ServersFixture servers)
    {
        var factory = new ServiceFactory<Program>(servers, "aidb");
        factory.Settings["EventBus:StreamPrefix"] = $"events-{factory.DatabaseName}";
        factory.Settings["Ai:Feedback:PollInterval"] = "00:00:00.200";
        factory.Settings["Ai:Feedback:Lease"] = "00:00:02";
        return factory;
    }

    private async Task PublishScenarioAsync()
    {
        var path = Path.Combine(RepositoryRoot.Path, "services", "Content", "Infrastructure", "SeedLibrary", $"{ChestPain}.json");
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;
        await using var scope = _factory.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<ScenarioPublishedHandler>(scope.ServiceProvider).HandleAsync(
            new ScenarioPublished(_scenarioId, 1, null, ChestPain, document.GetProperty("title").GetString()!, DateTimeOffset.UtcNow, document),
            CancellationToken.None);
    }

    /// <summary>An engine that starts and never finishes: its host is "killed" mid-assessment.</summary>
    private sealed class StalledEngine : IFeedbackEngine
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FeedbackEngineInfo Info { get; } = new("stalled", "0", "none", "0", ConsultationRubric.Version);

        public async Task<FeedbackResult> AssessAsync(FeedbackRequest request, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class FailingEngine : IFeedbackEngine
    {
        public FeedbackEngineInfo Info { get; } = new("failing", "0", "none", "0", ConsultationRubric.Version);

        public Task<FeedbackResult> AssessAsync(FeedbackRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The engine is down.");
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Redis;
using PracticePlatform.Testing;

namespace PracticePlatform.Ai.Tests;

[Collection(ServersCollection.Name)]
public sealed partial class AiServiceTests : ServiceConformanceTests<Program, AiDbContext>
{
    private const string Feedback = "/v1/ai/feedback";

    private readonly Guid _institution = Guid.CreateVersion7();

    /// <summary>The owner's cohort: the educators who teach it may read the owner's records.</summary>
    private readonly Guid _cohort = Guid.CreateVersion7();
    private readonly TestUser _learner;

    public AiServiceTests(ServersFixture servers)
        : base(servers, "aidb") => _learner = TestUser.Learner(_institution, _cohort);

    /// <summary>The learner whose sessions these tests' reports assess.</summary>
    private HttpClient Learner { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Learner = CreateClient(_learner);
    }

    protected override string DocumentedPath => "/v1/ai/feedback/{sessionId}";

    /// <summary>The dead-letter endpoints are for platform admins only.</summary>
    private HttpClient Operator => field ??= CreateClient(TestUser.PlatformAdmin());

    private FeedbackReport Report(Guid sessionId, FeedbackStatus status, int? globalRating = null) => new()
    {
        PracticeSessionId = sessionId,
        LearnerId = _learner.Id,
        InstitutionId = _learner.InstitutionId,
        CohortId = _learner.CohortId,
        Status = status,
        GlobalRating = globalRating,
        EngineName = "rubric-grader",
        EngineVersion = "1.4.0",
        Model = "clinical-feedback-small",
        PromptVersion = "prompt-2026-11",
        RubricVersion = "calgary-cambridge-v2",
        CompletedAt = status == FeedbackStatus.Pending ? null : DateTimeOffset.UtcNow,
    };

    private async Task StoreAsync(FeedbackReport report)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AiDbContext>();
        db.FeedbackReports.Add(report);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_session_without_a_report_is_a_404_problem()
    {
        var sessionId = Guid.CreateVersion7();

        var response = await Learner.GetAsync($"{Feedback}/{sessionId}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain(sessionId.ToString());
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("12345")]
    public async Task A_session_id_that_is_not_a_guid_is_a_400_problem(string sessionId)
    {
        var response = await Learner.GetAsync($"{Feedback}/{sessionId}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString().Should().Contain(sessionId);
    }

    [Fact]
    public async Task A_pending_report_is_202_with_its_status_and_where_to_ask_again()
    {
        var sessionId = Guid.CreateVersion7();
        await StoreAsync(Report(sessionId, FeedbackStatus.Pending));

        var response = await Learner.GetAsync($"{Feedback}/{sessionId}");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        response.Headers.Location.Should().Be(new Uri($"{Feedback}/{sessionId}", UriKind.Relative));
        var pending = await response.Content.ReadFromJsonAsync<JsonElement>();
        pending.GetProperty("sessionId").GetGuid().Should().Be(sessionId);
        pending.GetProperty("status").GetString().Should().Be("pending");
    }

    [Fact]
    public async Task A_completed_report_is_200_with_its_rating_and_the_engine_that_produced_it()
    {
        var sessionId = Guid.CreateVersion7();
        await StoreAsync(Report(sessionId, FeedbackStatus.Completed, globalRating: 4));

        var response = await Learner.GetAsync($"{Feedback}/{sessionId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("sessionId").GetGuid().Should().Be(sessionId);
        report.GetProperty("status").GetString().Should().Be("completed");
        report.GetProperty("globalRating").GetInt32().Should().Be(4);
        var engine = report.GetProperty("engine");
        engine.GetProperty("name").GetString().Should().Be("rubric-grader");
        engine.GetProperty("version").GetString().Should().Be("1.4.0");
        engine.GetProperty("model").GetString().Should().Be("clinical-feedback-small");
        engine.GetProperty("promptVersion").GetString().Should().Be("prompt-2026-11");
        engine.GetProperty("rubricVersion").GetString().Should().Be("calgary-cambridge-v2");
    }

    [Fact]
    public async Task A_failed_report_is_200_with_status_failed_and_no_rating()
    {
        var sessionId = Guid.CreateVersion7();
        await StoreAsync(Report(sessionId, FeedbackStatus.Failed));

        var report = await Learner.GetFromJsonAsync<JsonElement>($"{Feedback}/{sessionId}");

        report.GetProperty("status").GetString().Should().Be("failed");
        report.GetProperty("globalRating").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_session_cannot_have_a_second_report()
    {
        var sessionId = Guid.CreateVersion7();
        await StoreAsync(Report(sessionId, FeedbackStatus.Completed, globalRating: 3));

        var storing = () => StoreAsync(Report(sessionId, FeedbackStatus.Pending));

        await storing.Should().ThrowAsync<DbUpdateException>();
        (await Learner.GetAsync($"{Feedback}/{sessionId}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task A_global_rating_outside_one_to_five_is_rejected_by_the_database(int globalRating)
    {
        var storing = () => StoreAsync(Report(Guid.CreateVersion7(), FeedbackStatus.Completed, globalRating));

        await storing.Should().ThrowAsync<DbUpdateException>();
    }

    [Fact]
    public async Task A_completed_practice_session_opens_one_pending_report_even_when_its_event_arrives_twice()
    {
        var bus = Factory.Services.GetRequiredService<IEventBus>();
        var completed = Completed();
        var marker = Completed();

        await bus.PublishAsync(completed);
        await bus.PublishAsync(completed);
        await bus.PublishAsync(marker);

        // One consumer reads the stream in order: once the marker has its report, both copies have been through.
        var response = await PollAsync($"{Feedback}/{marker.SessionId}", HttpStatusCode.Accepted);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        response = await Learner.GetAsync($"{Feedback}/{completed.SessionId}");
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("pending");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AiDbContext>();
        var report = await db.FeedbackReports.SingleAsync(r => r.PracticeSessionId == completed.SessionId);
        report.LearnerId.Should().Be(_learner.Id, "the report belongs to the learner the event names");
        report.InstitutionId.Should().Be(_institution);
        report.CohortId.Should().Be(_cohort, "the report is scoped to the cohort the event names");
        (await db.Set<InboxMessage>().CountAsync(m => m.EventId == completed.Id)).Should().Be(1);
    }

    private PracticeSessionCompleted Completed()
    {
        var now = DateTimeOffset.UtcNow;
        return new PracticeSessionCompleted(
            Guid.CreateVersion7(), Guid.CreateVersion7(), 3, "text", now.AddMinutes(-12), now, _learner.Id, _learner.InstitutionId, _learner.CohortId);
    }

    private async Task<HttpResponseMessage> PollAsync(string path, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var response = await Learner.GetAsync(path);
            if (response.StatusCode == expected || DateTime.UtcNow > deadline)
            {
                return response;
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_event_that_cannot_be_read_is_listed_as_a_dead_letter_and_can_be_replayed()
    {
        var redis = Factory.Services.GetRequiredService<RedisClient>();
        var eventId = Guid.CreateVersion7();
        await redis.StreamAddAsync("events:PracticeSessionCompleted",
        [
            new("id", eventId.ToString()),
            new("type", "PracticeSessionCompleted"),
            new("occurredAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)),
            new("payload", """{"sessionId":"not-a-guid"}"""),
        ]);

        var deadLetter = await PollDeadLetterAsync(eventId, except: null);
        deadLetter.GetProperty("eventType").GetString().Should().Be("PracticeSessionCompleted");
        deadLetter.GetProperty("error").GetString().Should().StartWith("Unreadable entry");
        var id = deadLetter.GetProperty("id").GetString()!;

        var replay = await Operator.PostAsync($"/v1/ai/admin/dead-letters/PracticeSessionCompleted/{id}/replay", null);

        replay.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var again = await PollDeadLetterAsync(eventId, except: id);
        again.GetProperty("id").GetString().Should().NotBe(id, "the replayed entry was still unreadable, so it came back as a new dead letter");
        var twice = await Operator.PostAsync($"/v1/ai/admin/dead-letters/PracticeSessionCompleted/{id}/replay", null);
        await twice.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("PracticeSessionCompleted", "0-1")]
    [InlineData("PracticeSessionCompleted", "not-an-id")]
    [InlineData("SomethingElse", "0-1")]
    public async Task Replaying_a_dead_letter_that_is_not_there_is_a_404_problem(string eventType, string id)
    {
        var response = await Operator.PostAsync($"/v1/ai/admin/dead-letters/{eventType}/{id}/replay", null);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("?count=0")]
    [InlineData("?count=501")]
    [InlineData("?eventType=SomethingElse")]
    public async Task Listing_dead_letters_with_a_bad_filter_is_a_400_problem(string query)
    {
        var response = await Operator.GetAsync($"/v1/ai/admin/dead-letters{query}");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task<JsonElement> PollDeadLetterAsync(Guid eventId, string? except)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var listed = await Operator.GetFromJsonAsync<JsonElement>("/v1/ai/admin/dead-letters?eventType=PracticeSessionCompleted");
            var match = listed.EnumerateArray().FirstOrDefault(d =>
                d.GetProperty("eventId").GetGuid() == eventId && d.GetProperty("id").GetString() != except);
            if (match.ValueKind == JsonValueKind.Object)
            {
                return match;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the dead letter should appear");
            await Task.Delay(50);
        }
    }
}

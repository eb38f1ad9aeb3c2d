using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.IntegrationEvents.Events;
using PracticePlatform.Sessions.Model;
using PracticePlatform.Testing;
using Npgsql;

namespace PracticePlatform.Sessions.Tests;

/// <summary>A session's life after it starts: entitlement, conversation activity, the activity log, abandonment and
/// listing. Each test starts the hosts it needs, with the lifecycle settings it needs.</summary>
[Collection(ServersCollection.Name)]
public sealed class SessionLifecycleTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Sessions = "/v1/sessions";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private readonly List<ServiceFactory<Program>> _hosts = [];
    private readonly Guid _institution = Guid.CreateVersion7();
    private ContentStandIn _content = null!;
    private BillingStandIn _billing = null!;

    public async Task InitializeAsync()
    {
        _content = await ContentStandIn.StartAsync();
        _billing = await BillingStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }

        await _content.DisposeAsync();
        await _billing.DisposeAsync();
    }

    /// <summary>A sessions host whose job abandons sessions idle for <paramref name="abandonAfter"/>, checking every
    /// <paramref name="checkInterval"/> (by default too rarely to run during a test: the test runs it). With
    /// <paramref name="sameDatabaseAs"/> it is a second replica on that host's database.</summary>
    private ServiceFactory<Program> Host(
        string abandonAfter = "00:05:00", string checkInterval = "01:00:00", int batchSize = 100, ServiceFactory<Program>? sameDatabaseAs = null)
    {
        var host = new ServiceFactory<Program>(servers, "sessionsdb");
        host.Settings["services:content:http:0"] = _content.Address;
        host.Settings["services:billing:http:0"] = _billing.Address;
        host.Settings["LiveKit:Url"] = "wss://livekit.test";
        host.Settings["services:realtime:http:0"] = "http://localhost:5104";
        host.Settings["Sessions:AbandonAfter"] = abandonAfter;
        host.Settings["Sessions:AbandonCheckInterval"] = checkInterval;
        host.Settings["Sessions:AbandonBatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (sameDatabaseAs is not null)
        {
            host.Settings["ConnectionStrings:sessionsdb"] = sameDatabaseAs.ConnectionString;
        }

        _hosts.Add(host);
        return host;
    }

    private async Task<PracticeSessionDetails> StartAsync(HttpClient client, int version = 1)
    {
        var response = await client.PostAsJsonAsync(Sessions, new { scenarioId = _content.Publish(version), mode = "voice" });
        response.StatusCode.Should().Be(HttpStatusCode.Created, "the body was: {0}", await response.Content.ReadAsStringAsync());
        return (await client.GetFromJsonAsync<PracticeSessionDetails>(response.Headers.Location, Json))!;
    }

    private static async Task<PracticeSessionDetails> ReadAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<PracticeSessionDetails>($"{Sessions}/{id}", Json))!;

    private static async Task<IReadOnlyList<SessionActivityItem>> ActivityAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<SessionActivityLog>($"{Sessions}/{id}/activity", Json))!.Items;

    private static async Task<T> InDatabaseAsync<T>(ServiceFactory<Program> host, Func<SessionsDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SessionsDbContext>());
    }

    /// <summary>Moves a session's last activity <paramref name="by"/> into the past, as if the learner had gone quiet then.</summary>
    private static Task<int> IdleAsync(ServiceFactory<Program> host, Guid id, TimeSpan by) =>
        InDatabaseAsync(host, db => db.Database.ExecuteSqlAsync(
            $"UPDATE practice_sessions SET last_activity_at = last_activity_at - {by} WHERE id = {id}"));

    /// <summary>The PracticeSessionAbandoned payloads on the event stream for these sessions, once the relay has sent
    /// at least <paramref name="atLeast"/> of them and a little longer (so a duplicate would have arrived too).</summary>
    private static async Task<List<JsonElement>> PublishedAbandonmentsAsync(ServiceFactory<Program> host, IReadOnlyCollection<Guid> sessionIds, int atLeast)
    {
        var redis = host.Services.GetRequiredService<PracticePlatform.Redis.RedisClient>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        async Task<List<JsonElement>> ReadAsync() =>
            (await redis.StreamRangeAsync("events:PracticeSessionAbandoned"))
                .Select(e => JsonDocument.Parse(e.Fields["payload"]).RootElement)
                .Where(payload => sessionIds.Contains(payload.GetProperty("sessionId").GetGuid()))
                .ToList();

        while ((await ReadAsync()).Count < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(500);
        return await ReadAsync();
    }

    [Fact]
    public async Task Starting_records_the_start_as_the_last_activity_and_the_first_entry_of_the_log()
    {
        var host = Host();
        var learner = host.CreateClient(TestUser.Learner(_institution));

        var session = await StartAsync(learner, version: 3);

        session.LastActivityAt.Should().Be(session.StartedAt);
        var log = await ActivityAsync(learner, session.Id);
        log.Should().ContainSingle().Which.Should().Be(
            new SessionActivityItem(session.StartedAt, SessionActivityKind.Started, "voice session on scenario version 3"));
        var raw = await learner.GetFromJsonAsync<JsonElement>($"{Sessions}/{session.Id}/activity");
        var item = raw.GetProperty("items")[0];
        item.GetProperty("kind").GetString().Should().Be("started");
        item.EnumerateObject().Select(p => p.Name).Should().Equal("at", "kind", "detail");
        (await learner.GetFromJsonAsync<JsonElement>($"{Sessions}/{session.Id}")).TryGetProperty("lastActivityAt", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Ending_logs_the_completion_and_moves_the_last_activity_to_the_end()
    {
        var host = Host();
        var learner = host.CreateClient(TestUser.Learner(_institution));
        var session = await StartAsync(learner);

        var ended = await (await learner.PostAsync($"{Sessions}/{session.Id}/end", null)).Content.ReadFromJsonAsync<PracticeSessionDetails>(Json);

        ended!.Status.Should().Be(SessionStatus.Completed);
        ended.LastActivityAt.Should().Be(ended.EndedAt!.Value);
        (await ReadAsync(learner, session.Id)).Should().BeEquivalentTo(ended);
        (await ActivityAsync(learner, session.Id)).Select(a => (a.Kind, a.At)).Should().Equal(
            (SessionActivityKind.Started, session.StartedAt), (SessionActivityKind.Completed, ended.EndedAt.Value));
    }

    [Fact]
    public async Task Ending_while_a_conversation_report_moves_the_last_activity_still_completes_the_session_once()
    {
        var host = Host();
        var interceptor = new ActivityReportedWhileEnding(host.ConnectionString);
        var racing = host.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureDbContext<SessionsDbContext>(options => options.AddInterceptors(interceptor))));
        var client = racing.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", host.Tokens.Issue(TestUser.Learner(_institution)));
        var session = await StartAsync(client);

        var response = await client.PostAsync($"{Sessions}/{session.Id}/end", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "a moved last activity is not someone else ending the session");
        interceptor.Reported.Should().BeTrue("the report did race the end");
        var ended = (await response.Content.ReadFromJsonAsync<PracticeSessionDetails>(Json))!;
        ended.Status.Should().Be(SessionStatus.Completed);
        (await ReadAsync(client, session.Id)).Should().BeEquivalentTo(ended);
        (await ActivityAsync(client, session.Id)).Select(a => a.Kind).Should().Equal(SessionActivityKind.Started, SessionActivityKind.Completed);
    }

    [Fact]
    public async Task Billing_is_asked_as_the_learner_and_a_refusal_is_a_403_problem_with_the_reason_and_what_to_do_and_starts_nothing()
    {
        const string reason = "You have used your 3 free sessions this month; they renew on 1 December.";
        const string remedy = "Ask your institution for a seat or subscribe to Individual.";
        _billing.Refusal = (reason, remedy);
        var host = Host();
        var learner = TestUser.Learner(_institution);
        var client = host.CreateClient(learner);
        var scenarioId = _content.Publish(version: 5);

        var response = await client.PostAsJsonAsync(Sessions, new { scenarioId, mode = "text" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("title").GetString().Should().Be("Not entitled to practise");
        problem.GetProperty("detail").GetString().Should().Be(reason);
        problem.GetProperty("remedy").GetString().Should().Be(remedy);
        _billing.Authorizations.Should().ContainSingle().Which.Should().Be(_content.LastAuthorization, "billing judges the learner by their own token");
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();
        (await db.PracticeSessions.CountAsync()).Should().Be(0);
        (await db.SessionActivities.CountAsync()).Should().Be(0);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    public async Task When_billing_cannot_answer_no_session_starts_and_the_learner_is_told_to_try_again(int status)
    {
        _billing.FailWith = status;
        var host = Host();
        var client = host.CreateClient(TestUser.Learner(_institution));

        var response = await client.PostAsJsonAsync(Sessions, new { scenarioId = _content.Publish(version: 1), mode = "text" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("title").GetString().Should().Be("Billing service unavailable");
        await using var scope = host.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<SessionsDbContext>().PracticeSessions.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_started_session_is_announced_once_for_billing_to_count()
    {
        var host = Host();
        var cohort = Guid.CreateVersion7();
        var learner = TestUser.Learner(_institution, cohort);

        var session = await StartAsync(host.CreateClient(learner), version: 2);

        var redis = host.Services.GetRequiredService<PracticePlatform.Redis.RedisClient>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        async Task<List<JsonElement>> ReadAsync() =>
            (await redis.StreamRangeAsync("events:PracticeSessionStarted"))
                .Select(e => JsonDocument.Parse(e.Fields["payload"]).RootElement)
                .Where(payload => payload.GetProperty("sessionId").GetGuid() == session.Id)
                .ToList();
        while ((await ReadAsync()).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        var started = (await ReadAsync()).Should().ContainSingle().Subject;
        started.GetProperty("learnerId").GetGuid().Should().Be(learner.Id);
        started.GetProperty("institutionId").GetGuid().Should().Be(_institution);
        started.GetProperty("cohortId").GetGuid().Should().Be(cohort);
        started.GetProperty("scenarioVersion").GetInt32().Should().Be(2);
        started.GetProperty("mode").GetString().Should().Be("voice");
    }

    [Fact]
    public async Task An_idle_active_session_is_abandoned_with_an_end_time_a_log_entry_and_one_event()
    {
        var host = Host(abandonAfter: "00:05:00");
        var learner = TestUser.Learner(_institution);
        var client = host.CreateClient(learner);
        var idle = await StartAsync(client, version: 4);
        var recent = await StartAsync(client);
        var completed = await StartAsync(client);
        (await client.PostAsync($"{Sessions}/{completed.Id}/end", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await IdleAsync(host, idle.Id, TimeSpan.FromMinutes(6));
        await IdleAsync(host, recent.Id, TimeSpan.FromMinutes(4));
        await IdleAsync(host, completed.Id, TimeSpan.FromMinutes(60));
        var before = DateTimeOffset.UtcNow;

        var abandoned = await host.Services.GetRequiredService<SessionAbandonment>().AbandonIdleSessionsAsync(CancellationToken.None);

        abandoned.Should().Be(1);
        var stored = await ReadAsync(client, idle.Id);
        stored.Status.Should().Be(SessionStatus.Abandoned);
        stored.EndedAt.Should().NotBeNull().And.BeCloseTo(before, TimeSpan.FromSeconds(10));
        stored.LastActivityAt.Should().Be(stored.EndedAt!.Value);
        (await ReadAsync(client, recent.Id)).Status.Should().Be(SessionStatus.Active, "it has been idle for less than AbandonAfter");
        (await ReadAsync(client, completed.Id)).Status.Should().Be(SessionStatus.Completed, "only active sessions are abandoned");
        var log = await ActivityAsync(client, idle.Id);
        log.Select(a => a.Kind).Should().Equal(SessionActivityKind.Started, SessionActivityKind.Abandoned);
        log[^1].At.Should().Be(stored.EndedAt.Value);
        log[^1].Detail.Should().StartWith("No activity since ");

        var events = await PublishedAbandonmentsAsync(host, [idle.Id, recent.Id, completed.Id], atLeast: 1);
        var published = events.Should().ContainSingle().Subject;
        published.GetProperty("sessionId").GetGuid().Should().Be(idle.Id);
        published.GetProperty("scenarioId").GetGuid().Should().Be(idle.ScenarioId);
        published.GetProperty("scenarioVersion").GetInt32().Should().Be(4);
        published.GetProperty("learnerId").GetGuid().Should().Be(learner.Id);
        published.GetProperty("institutionId").GetGuid().Should().Be(_institution);
        published.GetProperty("startedAt").GetDateTimeOffset().Should().Be(idle.StartedAt);
        published.GetProperty("abandonedAt").GetDateTimeOffset().Should().Be(stored.EndedAt.Value);

        (await host.Services.GetRequiredService<SessionAbandonment>().AbandonIdleSessionsAsync(CancellationToken.None))
            .Should().Be(0, "a second run finds nothing left to abandon");
        (await client.PostAsync($"{Sessions}/{idle.Id}/end", null)).StatusCode.Should().Be(HttpStatusCode.Conflict,
            "an abandoned session cannot be ended");
    }

    [Fact]
    public async Task Two_replicas_running_the_job_at_once_abandon_every_idle_session_exactly_once()
    {
        var first = Host(batchSize: 7);
        var second = Host(batchSize: 7, sameDatabaseAs: first);
        var learner = TestUser.Learner(_institution);
        var longAgo = DateTimeOffset.UtcNow.AddHours(-2);
        var ids = await InDatabaseAsync(first, async db =>
        {
            var sessions = Enumerable.Range(0, 40).Select(i => new PracticeSession
            {
                LearnerId = learner.Id,
                InstitutionId = _institution,
                ScenarioId = Guid.CreateVersion7(),
                ScenarioVersion = 1,
                Mode = SessionMode.Text,
                StartedAt = longAgo,
                LastActivityAt = longAgo.AddMinutes(i),
            }).ToList();
            db.PracticeSessions.AddRange(sessions);
            await db.SaveChangesAsync();
            return sessions.Select(s => s.Id).ToList();
        });
        _ = second.Services.GetRequiredService<SessionAbandonment>(); // both hosts started before the race

        var runs = await Task.WhenAll(
            Task.Run(() => first.Services.GetRequiredService<SessionAbandonment>().AbandonIdleSessionsAsync(CancellationToken.None)),
            Task.Run(() => second.Services.GetRequiredService<SessionAbandonment>().AbandonIdleSessionsAsync(CancellationToken.None)),
            Task.Run(() => first.Services.GetRequiredService<SessionAbandonment>().AbandonIdleSessionsAsync(CancellationToken.None)),
            Task.Run(() => second.Services.GetRequiredService<SessionAbandonment>().AbandonIdleSessionsAsync(CancellationToken.None)));

        runs.Sum().Should().Be(40, "each session is abandoned by exactly one run");
        var (statuses, abandonedEntries) = await InDatabaseAsync(first, async db => (
            await db.PracticeSessions.Where(s => ids.Contains(s.Id)).Select(s => new { s.Status, s.EndedAt }).ToListAsync(),
            await db.SessionActivities.Where(a => a.Kind == SessionActivityKind.Abandoned).Select(a => a.SessionId).ToListAsync()));
        statuses.Should().OnlyContain(s => s.Status == SessionStatus.Abandoned && s.EndedAt != null);
        abandonedEntries.Should().BeEquivalentTo(ids, "one log entry per session");
        var events = await PublishedAbandonmentsAsync(first, ids, atLeast: 40);
        events.Select(e => e.GetProperty("sessionId").GetGuid()).Should().BeEquivalentTo(ids, "one event per session, none twice");
    }

    [Fact]
    public async Task The_job_abandons_idle_sessions_on_its_own_schedule()
    {
        var host = Host(abandonAfter: "00:00:01", checkInterval: "00:00:00.200");
        var client = host.CreateClient(TestUser.Learner(_institution));
        var session = await StartAsync(client);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var stored = await ReadAsync(client, session.Id);
        while (stored.Status == SessionStatus.Active && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            stored = await ReadAsync(client, session.Id);
        }

        stored.Status.Should().Be(SessionStatus.Abandoned);
        stored.EndedAt.Should().BeOnOrAfter(session.StartedAt.AddSeconds(1));
    }

    [Fact]
    public async Task Conversation_activity_moves_the_last_activity_forward_never_back_and_is_logged_once()
    {
        var host = Host();
        var learner = TestUser.Learner(_institution);
        var client = host.CreateClient(learner);
        var session = await StartAsync(client);
        var marker = await StartAsync(client);
        var bus = host.Services.GetRequiredService<IEventBus>();
        var later = session.StartedAt.AddMinutes(2);
        var earlier = session.StartedAt.AddMinutes(1);
        var latest = new ConversationActivity(session.Id, later, 3);

        await bus.PublishAsync(new ConversationActivity(Guid.CreateVersion7(), later, 1)); // a session this service does not know
        await bus.PublishAsync(latest);
        await bus.PublishAsync(latest); // redelivered: the inbox skips it
        await bus.PublishAsync(new ConversationActivity(session.Id, later, 3)); // the same moment reported again
        await bus.PublishAsync(new ConversationActivity(session.Id, earlier, 1)); // a late report of an earlier minute
        await bus.PublishAsync(new ConversationActivity(marker.Id, later, 1));

        // One consumer reads the stream in order: once the marker is logged, every report before it has been through.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await ActivityAsync(client, marker.Id)).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (await ActivityAsync(client, marker.Id)).Should().HaveCount(2);
        var stored = await ReadAsync(client, session.Id);
        stored.LastActivityAt.Should().Be(later, "the earlier report does not move it back");
        stored.Status.Should().Be(SessionStatus.Active);
        (await ActivityAsync(client, session.Id)).Should().Equal(
            new SessionActivityItem(session.StartedAt, SessionActivityKind.Started, "voice session on scenario version 1"),
            new SessionActivityItem(earlier, SessionActivityKind.Conversation, "1 utterance"),
            new SessionActivityItem(later, SessionActivityKind.Conversation, "3 utterances"));
        (await InDatabaseAsync(host, db => db.Set<InboxMessage>().CountAsync(m => m.EventId == latest.Id))).Should().Be(1);

        // Ending now does not move the last activity back before the reported conversation either.
        var ended = await (await client.PostAsync($"{Sessions}/{session.Id}/end", null)).Content.ReadFromJsonAsync<PracticeSessionDetails>(Json);
        ended!.Status.Should().Be(SessionStatus.Completed);
        ended.LastActivityAt.Should().Be(later);
    }

    [Fact]
    public async Task Sessions_are_listed_newest_first_filtered_by_status_and_paged_within_what_the_caller_may_read()
    {
        var host = Host();
        var cohort = Guid.CreateVersion7();
        var ada = TestUser.Learner(_institution, cohort);
        var adaClient = host.CreateClient(ada);
        var oldest = await StartAsync(adaClient);
        var middle = await StartAsync(adaClient);
        var newest = await StartAsync(adaClient);
        (await adaClient.PostAsync($"{Sessions}/{middle.Id}/end", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await IdleAsync(host, oldest.Id, TimeSpan.FromHours(1));
        await host.Services.GetRequiredService<SessionAbandonment>().AbandonIdleSessionsAsync(CancellationToken.None);
        var classmate = await StartAsync(host.CreateClient(TestUser.Learner(_institution, cohort)));
        var otherCohort = await StartAsync(host.CreateClient(TestUser.Learner(_institution, Guid.CreateVersion7())));
        var noCohort = await StartAsync(host.CreateClient(TestUser.Learner(_institution)));
        var otherInstitution = Guid.CreateVersion7();
        var elsewhere = await StartAsync(host.CreateClient(TestUser.Learner(otherInstitution, cohort)));

        async Task<PracticeSessionPage> ListAsync(TestUser user, string query = "") =>
            (await host.CreateClient(user).GetFromJsonAsync<PracticeSessionPage>($"{Sessions}{query}", Json))!;

        var all = await ListAsync(ada);
        all.Items.Select(s => s.Id).Should().Equal(newest.Id, middle.Id, oldest.Id);
        (all.Total, all.Page, all.PageSize).Should().Be((3, 1, 20));
        all.Items[1].Should().BeEquivalentTo(await ReadAsync(adaClient, middle.Id), "list items are the session details");
        (await ListAsync(ada, "?status=active")).Items.Select(s => s.Id).Should().Equal(newest.Id);
        (await ListAsync(ada, "?status=completed")).Items.Select(s => s.Id).Should().Equal(middle.Id);
        (await ListAsync(ada, "?status=abandoned")).Items.Select(s => s.Id).Should().Equal(oldest.Id);
        (await ListAsync(ada, "?status=")).Total.Should().Be(3, "an empty status filters nothing");
        var second = await ListAsync(ada, "?page=2&pageSize=2");
        second.Items.Select(s => s.Id).Should().Equal(oldest.Id);
        (second.Total, second.Page, second.PageSize).Should().Be((3, 2, 2));
        (await ListAsync(ada, "?page=3&pageSize=2")).Items.Should().BeEmpty();

        (await ListAsync(TestUser.Learner(_institution, cohort))).Total.Should().Be(0, "a learner sees only their own");
        var teacher = TestUser.Educator(_institution, cohort);
        (await ListAsync(teacher)).Items.Select(s => s.Id).Should().Equal(
            [classmate.Id, newest.Id, middle.Id, oldest.Id], "an educator sees the cohorts they teach, not the rest of the institution");
        (await ListAsync(teacher, $"?learnerId={ada.Id}&status=active")).Items.Select(s => s.Id).Should().Equal(newest.Id);
        (await ListAsync(teacher, $"?cohortId={cohort}")).Total.Should().Be(4);
        (await ListAsync(teacher, $"?learnerId={otherCohort.LearnerId}")).Total.Should().Be(0, "a filter never widens what the caller may read");
        (await ListAsync(TestUser.Educator(_institution))).Total.Should().Be(0, "an educator who teaches no cohort sees only their own");
        (await ListAsync(TestUser.InstitutionAdmin(_institution), "?status=active")).Items.Select(s => s.Id).Should().Equal(
            noCohort.Id, otherCohort.Id, classmate.Id, newest.Id);
        (await ListAsync(TestUser.Educator(otherInstitution, cohort))).Items.Select(s => s.Id).Should().Equal(
            [elsewhere.Id], "a cohort id from another institution's token reaches only that institution");
        (await ListAsync(TestUser.Educator(Guid.CreateVersion7()))).Total.Should().Be(0);
        (await ListAsync(TestUser.PlatformAdmin())).Items.Select(s => s.Id).Should().Equal(
            elsewhere.Id, noCohort.Id, otherCohort.Id, classmate.Id, newest.Id, middle.Id, oldest.Id);
    }

    [Theory]
    [InlineData("?status=paused", "status")]
    [InlineData("?status=1", "status")]
    [InlineData("?status=Active,completed", "status")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?page=0", "page")]
    public async Task A_bad_list_query_is_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        var host = Host();

        var response = await host.CreateClient(TestUser.Learner(_institution)).GetAsync($"{Sessions}{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal(parameter);
    }

    [Fact]
    public async Task The_activity_log_of_an_unknown_session_is_a_404_problem()
    {
        var host = Host();
        var unknown = Guid.CreateVersion7();

        var response = await host.CreateClient(TestUser.PlatformAdmin()).GetAsync($"{Sessions}/{unknown}/activity");

        (await response.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString()
            .Should().Be($"No practice session has the id '{unknown}'.");
    }

    /// <summary>The first time a session is being saved as completed, moves its last activity on from another
    /// connection first, as a conversation report arriving at that moment would.</summary>
    private sealed class ActivityReportedWhileEnding(string connectionString) : SaveChangesInterceptor
    {
        private int _reported;

        public bool Reported => Volatile.Read(ref _reported) == 1;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var ending = eventData.Context!.ChangeTracker.Entries<PracticeSession>()
                .FirstOrDefault(e => e.State == EntityState.Modified && e.Entity.Status == SessionStatus.Completed);
            if (ending is not null && Interlocked.Exchange(ref _reported, 1) == 0)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(
                    "UPDATE practice_sessions SET last_activity_at = last_activity_at + interval '1 millisecond' WHERE id = $1", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = ending.Entity.Id });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return result;
        }
    }
}

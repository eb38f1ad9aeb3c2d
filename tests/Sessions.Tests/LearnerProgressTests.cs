using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.IntegrationEvents.EventHandling;
using PracticePlatform.Sessions.IntegrationEvents.Events;
using PracticePlatform.Sessions.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Sessions.Tests;

/// <summary>A learner's progress, kept from ai's FeedbackReportGenerated events and served per learner and cohort. The
/// events are published onto the bus of a host with a stream prefix of its own, as ai's outbox relay would.</summary>
[Collection(ServersCollection.Name)]
public sealed partial class LearnerProgressTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Progress = "/v1/sessions/progress";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private readonly Guid _institution = Guid.CreateVersion7();
    private readonly Guid _cohort = Guid.CreateVersion7();
    private readonly DateTimeOffset _start = DatabaseTime.Truncate(DateTimeOffset.UtcNow.AddDays(-10));
    private ServiceFactory<Program> _host = null!;

    public Task InitializeAsync()
    {
        _host = new ServiceFactory<Program>(servers, "sessionsdb");
        _host.Settings["EventBus:StreamPrefix"] = $"events-{_host.DatabaseName}";
        _host.Settings["services:content:http:0"] = "http://localhost:1";
        _ = _host.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static FeedbackItemOutcome Essential(string code, bool present, string competency = "initiating") =>
        new(code, $"Title of {code}", "essential", competency, present, present ? 1 : 0, Overridden: false);

    private static FeedbackItemOutcome Content(string code, bool present) =>
        new(code, $"Title of {code}", "content", "clinical_content", present, present ? 1 : 0, Overridden: false);

    private FeedbackReportGenerated Report(
        TestUser learner, int day, int rating, params FeedbackItemOutcome[] items) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), 1,
        learner.Id, learner.InstitutionId, learner.CohortId,
        Revision: 1, GlobalRating: rating, Items: items, GeneratedAt: _start.AddDays(day));

    /// <summary>A later revision of <paramref name="report"/> (a new event, as an educator's override publishes).</summary>
    private static FeedbackReportGenerated Revised(FeedbackReportGenerated report, int revision, int rating, params FeedbackItemOutcome[] items) =>
        report with { Id = Guid.CreateVersion7(), Revision = revision, GlobalRating = rating, Items = items, GeneratedAt = report.GeneratedAt.AddHours(revision) };

    /// <summary>Publishes the events, then a marker report of another learner, and waits until the marker is stored:
    /// one consumer reads the stream in order, so every event before it has been handled by then.</summary>
    private async Task DeliverAsync(params FeedbackReportGenerated[] events)
    {
        var bus = _host.Services.GetRequiredService<IEventBus>();
        foreach (var @event in events)
        {
            await bus.PublishAsync(@event);
        }

        var marker = Report(TestUser.Learner(Guid.CreateVersion7()), 0, 3, Essential("greeting", true));
        await bus.PublishAsync(marker);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await InDatabaseAsync(db => db.Assessments.AnyAsync(a => a.ReportId == marker.ReportId)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (await InDatabaseAsync(db => db.Assessments.AnyAsync(a => a.ReportId == marker.ReportId)))
            .Should().BeTrue("the marker report was handled");
    }

    private async Task<T> InDatabaseAsync<T>(Func<SessionsDbContext, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SessionsDbContext>());
    }

    private static async Task<LearnerProgressSummary> ProgressAsync(HttpClient client, string path = "/me")
    {
        var response = await client.GetAsync($"{Progress}{path}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, "the body was: {0}", await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LearnerProgressSummary>(Json))!;
    }

    [Fact]
    public async Task A_learner_without_reports_gets_empty_progress_not_a_404()
    {
        var learner = TestUser.Learner(_institution, _cohort);

        var progress = await _host.CreateClient(learner).GetFromJsonAsync<JsonElement>($"{Progress}/me");

        progress.GetProperty("learnerId").GetGuid().Should().Be(learner.Id);
        progress.GetProperty("reports").GetInt32().Should().Be(0);
        progress.GetProperty("items").GetArrayLength().Should().Be(0);
        progress.GetProperty("competencies").GetArrayLength().Should().Be(0);
        progress.GetProperty("snapshots").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_feedback_report_changes_the_learners_progress_and_adds_a_snapshot()
    {
        var learner = TestUser.Learner(_institution, _cohort);
        var client = _host.CreateClient(learner);
        var report = Report(learner, 1, 4,
            Essential("greeting", true), Essential("open_opening", false), Essential("empathy", true, "relationship"),
            Content("asked_about_radiation", true), Content("asked_about_smoking", false));

        await DeliverAsync(report);

        var progress = await ProgressAsync(client);
        progress.LearnerId.Should().Be(learner.Id);
        progress.Reports.Should().Be(1);
        progress.MeanGlobalRating.Should().Be(4);
        progress.LatestGlobalRating.Should().Be(4);
        progress.Items.Select(i => (i.Code, i.Kind, i.Competency, i.Assessed, i.Present, i.Rate, i.Latest, i.Trend)).Should().Equal(
            ("greeting", "essential", "initiating", 1, 1, 1.0, true, ProgressTrend.New),
            ("open_opening", "essential", "initiating", 1, 0, 0.0, false, ProgressTrend.New),
            ("empathy", "essential", "relationship", 1, 1, 1.0, true, ProgressTrend.New),
            ("asked_about_radiation", "content", "clinical_content", 1, 1, 1.0, true, ProgressTrend.New),
            ("asked_about_smoking", "content", "clinical_content", 1, 0, 0.0, false, ProgressTrend.New));
        progress.Items[0].Title.Should().Be("Title of greeting");
        progress.Competencies.Select(c => (c.Code, c.Title, c.Assessed, c.Rate)).Should().Equal(
            ("initiating", "Initiating the session", 2, 0.5),
            ("relationship", "Building the relationship", 1, 1.0),
            ("clinical_content", "Clinical content", 2, 0.5));
        var snapshot = progress.Snapshots.Should().ContainSingle().Subject;
        snapshot.ReportId.Should().Be(report.ReportId);
        snapshot.SessionId.Should().Be(report.SessionId);
        snapshot.At.Should().Be(report.GeneratedAt);
        snapshot.GlobalRating.Should().Be(4);
        snapshot.Items.Should().BeEquivalentTo(new Dictionary<string, double>
        {
            ["greeting"] = 1, ["open_opening"] = 0, ["empathy"] = 1, ["asked_about_radiation"] = 1, ["asked_about_smoking"] = 0,
        });
        snapshot.Competencies.Should().BeEquivalentTo(new Dictionary<string, double>
        {
            ["initiating"] = 0.5, ["relationship"] = 1, ["clinical_content"] = 0.5,
        });

        // The document content's recommender reads: items[].code and items[].rate as a number from 0 to 1.
        var raw = await client.GetFromJsonAsync<JsonElement>($"{Progress}/me");
        raw.EnumerateObject().Select(p => p.Name).Should().Equal(
            "learnerId", "reports", "meanGlobalRating", "latestGlobalRating", "items", "competencies", "snapshots");
        var item = raw.GetProperty("items")[0];
        item.GetProperty("code").GetString().Should().Be("greeting");
        item.GetProperty("rate").GetDouble().Should().Be(1);
        item.GetProperty("trend").GetString().Should().Be("new");
        raw.GetProperty("snapshots")[0].GetProperty("items").GetProperty("open_opening").GetDouble().Should().Be(0);
    }

    [Fact]
    public async Task Rates_count_every_report_and_latest_says_what_the_most_recent_report_found()
    {
        var learner = TestUser.Learner(_institution, _cohort);
        var first = Report(learner, 1, 2, Essential("greeting", false), Essential("summary", true, "gathering"));
        var second = Report(learner, 2, 4, Essential("greeting", true));

        await DeliverAsync(second, first);

        var progress = await ProgressAsync(_host.CreateClient(learner));
        progress.Reports.Should().Be(2);
        progress.MeanGlobalRating.Should().Be(3);
        progress.LatestGlobalRating.Should().Be(4, "the report produced last, though it arrived first");
        progress.Items.Select(i => (i.Code, i.Assessed, i.Present, i.Rate, i.Latest)).Should().Equal(
            ("greeting", 2, 1, 0.5, true),
            ("summary", 1, 1, 1.0, true));
        progress.Snapshots.Select(s => s.ReportId).Should().Equal([first.ReportId, second.ReportId], "oldest first, by the reports' times");
        progress.Snapshots[0].Items.Should().ContainKey("greeting").WhoseValue.Should().Be(0.5,
            "the snapshot of the report that arrived last is computed over every report stored by then");
        progress.Snapshots[1].Items.Should().ContainKey("greeting").WhoseValue.Should().Be(1);
        (await ProgressAsync(_host.CreateClient(learner), $"/me?since={Uri.EscapeDataString(second.GeneratedAt.ToString("O"))}"))
            .Snapshots.Select(s => s.ReportId).Should().Equal(second.ReportId);
    }

    [Fact]
    public async Task The_same_report_delivered_twice_adds_no_second_snapshot()
    {
        var learner = TestUser.Learner(_institution, _cohort);
        var report = Report(learner, 1, 3, Essential("greeting", true));
        var republished = report with { Id = Guid.CreateVersion7() };

        await DeliverAsync(report, report, republished);

        var progress = await ProgressAsync(_host.CreateClient(learner));
        progress.Reports.Should().Be(1);
        progress.Snapshots.Should().ContainSingle();
        (await InDatabaseAsync(db => db.Set<InboxMessage>().CountAsync(m => m.EventId == report.Id))).Should().Be(1);
        (await InDatabaseAsync(db => db.ProgressSnapshots.CountAsync(s => s.LearnerId == learner.Id))).Should().Be(1,
            "the same revision published again as another event is not applied again either");
    }

    [Fact]
    public async Task An_override_replaces_the_reports_items_and_adds_a_snapshot()
    {
        var learner = TestUser.Learner(_institution, _cohort);
        var report = Report(learner, 1, 2, Essential("greeting", true), Essential("empathy", false, "relationship"));
        var overridden = Revised(report, 2, 3,
            Essential("greeting", true), Essential("empathy", true, "relationship") with { Overridden = true });

        await DeliverAsync(report, overridden);

        var progress = await ProgressAsync(_host.CreateClient(learner));
        progress.Reports.Should().Be(1, "a revision is the same report");
        progress.LatestGlobalRating.Should().Be(3);
        progress.Items.Select(i => (i.Code, i.Assessed, i.Rate)).Should().Equal(("greeting", 1, 1.0), ("empathy", 1, 1.0));
        progress.Snapshots.Select(s => (s.ReportId, s.Revision, s.GlobalRating)).Should().Equal(
            (report.ReportId, 1, 2), (report.ReportId, 2, 3));
        progress.Snapshots[0].Items["empathy"].Should().Be(0);
        progress.Snapshots[1].Items["empathy"].Should().Be(1);
        var stored = await InDatabaseAsync(db => db.Assessments.SingleAsync(a => a.ReportId == report.ReportId));
        stored.Revision.Should().Be(2);
        stored.ReportedAt.Should().Be(report.GeneratedAt, "an override does not move the report in the learner's history");
        stored.Items.Should().Contain(i => i.Code == "empathy" && i.Present && i.Overridden);
    }

    [Fact]
    public async Task A_late_first_revision_after_the_override_changes_nothing()
    {
        var learner = TestUser.Learner(_institution, _cohort);
        var report = Report(learner, 1, 2, Essential("greeting", false));
        var overridden = Revised(report, 2, 4, Essential("greeting", true) with { Overridden = true });

        await DeliverAsync(overridden, report);

        var progress = await ProgressAsync(_host.CreateClient(learner));
        progress.LatestGlobalRating.Should().Be(4);
        progress.Items.Should().ContainSingle().Which.Rate.Should().Be(1);
        progress.Snapshots.Should().ContainSingle().Which.Revision.Should().Be(2);
    }

    [Fact]
    public async Task A_learner_never_sees_another_learners_progress()
    {
        var a = TestUser.Learner(_institution, _cohort);
        var b = TestUser.Learner(_institution, _cohort);
        await DeliverAsync(Report(a, 1, 5, Essential("greeting", true)), Report(b, 1, 1, Essential("greeting", false)));
        var clientA = _host.CreateClient(a);

        var mine = await ProgressAsync(clientA);

        mine.LearnerId.Should().Be(a.Id);
        mine.Reports.Should().Be(1);
        mine.LatestGlobalRating.Should().Be(5);
        mine.Items.Should().ContainSingle().Which.Rate.Should().Be(1);
        var problem = await (await clientA.GetAsync($"{Progress}/learners/{b.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Be($"No progress of the learner '{b.Id}' is readable.");
        (await ProgressAsync(clientA, $"/learners/{a.Id}")).Should().BeEquivalentTo(mine);
    }

    [Fact]
    public async Task An_educator_of_the_learners_cohort_reads_their_progress_and_one_of_another_cohort_gets_404()
    {
        var learner = TestUser.Learner(_institution, _cohort);
        await DeliverAsync(Report(learner, 1, 4, Essential("greeting", true)), Report(learner, 2, 2, Essential("greeting", false)));

        var read = await ProgressAsync(_host.CreateClient(TestUser.Educator(_institution, _cohort)), $"/learners/{learner.Id}");

        read.Should().BeEquivalentTo(await ProgressAsync(_host.CreateClient(learner)), "the educator sees what the learner sees");
        read.Snapshots.Should().HaveCount(2);
        await (await _host.CreateClient(TestUser.Educator(_institution, Guid.CreateVersion7())).GetAsync($"{Progress}/learners/{learner.Id}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_educator_of_one_of_the_learners_cohorts_sees_only_the_reports_made_in_it()
    {
        var before = TestUser.Learner(_institution, Guid.CreateVersion7());
        var after = before with { CohortId = _cohort };
        var elsewhere = Report(before, 1, 1, Essential("greeting", false), Essential("summary", false, "gathering"));
        var here = Report(after, 2, 5, Essential("greeting", true));
        await DeliverAsync(elsewhere, here);

        var read = await ProgressAsync(_host.CreateClient(TestUser.Educator(_institution, _cohort)), $"/learners/{before.Id}");

        read.Reports.Should().Be(1);
        read.Items.Select(i => (i.Code, i.Rate)).Should().Equal(("greeting", 1.0));
        read.Snapshots.Should().ContainSingle().Which.Items.Should().BeEquivalentTo(new Dictionary<string, double> { ["greeting"] = 1 },
            "snapshots over the report of the other cohort would reveal it");
        (await ProgressAsync(_host.CreateClient(before))).Snapshots[^1].Items["greeting"].Should().Be(0.5, "the learner's own are over both");
    }

    [Fact]
    public async Task Cohort_analytics_count_the_cohorts_learners_and_reports_and_rate_each_item_across_them()
    {
        var first = TestUser.Learner(_institution, _cohort);
        var second = TestUser.Learner(_institution, _cohort);
        var outsider = TestUser.Learner(_institution, Guid.CreateVersion7());
        await DeliverAsync(
            Report(first, 1, 2, Essential("greeting", false)),
            Report(first, 2, 4, Essential("greeting", true), Content("asked_about_smoking", true)),
            Report(second, 1, 3, Essential("greeting", true)),
            Report(outsider, 1, 5, Essential("greeting", false)));
        var educator = _host.CreateClient(TestUser.Educator(_institution, _cohort));

        var response = await educator.GetAsync($"{Progress}/cohorts/{_cohort}");

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the body was: {0}", await response.Content.ReadAsStringAsync());
        var cohort = (await response.Content.ReadFromJsonAsync<CohortProgress>(Json))!;
        cohort.CohortId.Should().Be(_cohort);
        cohort.LearnerCount.Should().Be(2);
        cohort.Reports.Should().Be(3);
        cohort.MeanGlobalRating.Should().Be(3);
        cohort.Items.Select(i => (i.Code, i.Assessed, i.Present, i.Rate)).Should().BeEquivalentTo(
            [("greeting", 3, 2, 2.0 / 3), ("asked_about_smoking", 1, 1, 1.0)]);
        cohort.Competencies.Select(c => c.Code).Should().Equal("initiating", "clinical_content");
        cohort.Learners.Select(l => (l.LearnerId, l.Reports, l.LatestGlobalRating)).Should().BeEquivalentTo(
            [(first.Id, 2, 4), (second.Id, 1, 3)]);
        await (await _host.CreateClient(TestUser.Educator(_institution, Guid.CreateVersion7())).GetAsync($"{Progress}/cohorts/{_cohort}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await _host.CreateClient(first).GetAsync($"{Progress}/cohorts/{_cohort}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Reports_of_one_learner_handled_at_the_same_time_are_both_in_the_last_snapshot()
    {
        for (var round = 0; round < 5; round++)
        {
            var learner = TestUser.Learner(_institution, _cohort);
            var reports = new[]
            {
                Report(learner, 1, 3, Essential("greeting", true)),
                Report(learner, 2, 3, Essential("summary", true, "gathering")),
            };

            await Task.WhenAll(reports.Select(HandleThroughTheInboxAsync));

            var snapshots = await InDatabaseAsync(db => db.ProgressSnapshots.Where(s => s.LearnerId == learner.Id).ToListAsync());
            snapshots.Should().HaveCount(2);
            snapshots.Should().Contain(s => s.Items.Count == 2, "whichever was applied second saw the other");
        }
    }

    /// <summary>What the bus's consumer does with one delivery: the handler inside the inbox's transaction.</summary>
    private async Task HandleThroughTheInboxAsync(FeedbackReportGenerated report)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<IIntegrationEventInbox>();
        var handler = scope.ServiceProvider.GetRequiredService<FeedbackReportGeneratedHandler>();
        await inbox.HandleOnceAsync(report, typeof(FeedbackReportGeneratedHandler), token => handler.HandleAsync(report, token), CancellationToken.None);
    }
}

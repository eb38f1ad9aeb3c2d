using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.Tests;

/// <summary>The progress computation on its own: rates, latest, trend and competencies over a learner's assessments.</summary>
public sealed class LearnerProgressComputationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static AssessedItem Essential(string code, bool present, string competency = "initiating") =>
        new(code, $"Title of {code}", RubricItemKind.Essential, competency, present, present ? 1 : 0, Overridden: false);

    private static AssessedItem Content(string code, bool present) =>
        new(code, $"Title of {code}", RubricItemKind.Content, "clinical_content", present, present ? 1 : 0, Overridden: false);

    private static Assessment Report(int day, int rating, params AssessedItem[] items) => new()
    {
        ReportId = Guid.CreateVersion7(),
        SessionId = Guid.CreateVersion7(),
        LearnerId = Guid.Empty,
        Revision = 1,
        GlobalRating = rating,
        ReportedAt = Start.AddDays(day),
        GeneratedAt = Start.AddDays(day),
        Items = items,
    };

    /// <summary>Reports on consecutive days in which greeting was present or not, in that order.</summary>
    private static List<Assessment> Greetings(params bool[] present) =>
        present.Select((p, day) => Report(day, 3, Essential("greeting", p))).ToList();

    [Fact]
    public void No_assessments_is_zero_reports_with_empty_lists_and_no_ratings()
    {
        var standing = LearnerProgress.Compute([]);

        standing.Reports.Should().Be(0);
        standing.MeanGlobalRating.Should().BeNull();
        standing.LatestGlobalRating.Should().BeNull();
        standing.Items.Should().BeEmpty();
        standing.Competencies.Should().BeEmpty();
    }

    [Fact]
    public void An_items_rate_is_the_share_of_the_reports_that_scored_it_in_which_it_was_present()
    {
        var standing = LearnerProgress.Compute(
        [
            Report(0, 2, Essential("greeting", true), Essential("summary", false, "gathering")),
            Report(1, 3, Essential("greeting", false)),
            Report(2, 4, Essential("greeting", true), Essential("summary", true, "gathering")),
            Report(3, 5, Essential("greeting", true)),
        ]);

        var greeting = standing.Items.Single(i => i.Code == "greeting");
        (greeting.Assessed, greeting.Present, greeting.Rate).Should().Be((4, 3, 0.75));
        var summary = standing.Items.Single(i => i.Code == "summary");
        (summary.Assessed, summary.Present, summary.Rate).Should().Be((2, 1, 0.5), "only the reports that scored an item count for it");
        standing.Reports.Should().Be(4);
        standing.MeanGlobalRating.Should().Be(3.5);
        standing.LatestGlobalRating.Should().Be(5);
    }

    [Fact]
    public void Latest_is_whether_the_most_recent_report_that_scored_the_item_found_it_whatever_order_they_came_in()
    {
        var older = Report(0, 2, Essential("greeting", true), Essential("summary", true, "gathering"));
        var newer = Report(1, 4, Essential("greeting", false));

        var standing = LearnerProgress.Compute([newer, older]);

        standing.Items.Single(i => i.Code == "greeting").Latest.Should().BeFalse();
        standing.Items.Single(i => i.Code == "summary").Latest.Should().BeTrue("the newer report did not score it");
        standing.LatestGlobalRating.Should().Be(4);
    }

    [Theory]
    [InlineData(new[] { true, false, true }, ProgressTrend.New)]
    [InlineData(new[] { false, false, true, true, true }, ProgressTrend.Improving)]
    [InlineData(new[] { true, true, false, false, true }, ProgressTrend.Declining)]
    [InlineData(new[] { true, false, true, true, false, true }, ProgressTrend.Steady)]
    public void The_trend_compares_the_last_three_reports_with_those_before(bool[] present, ProgressTrend expected)
    {
        var standing = LearnerProgress.Compute(Greetings(present));

        standing.Items.Single().Trend.Should().Be(expected);
    }

    [Fact]
    public void A_competency_pools_its_essential_items_and_clinical_content_pools_the_scenarios_own_items()
    {
        var standing = LearnerProgress.Compute(
        [
            Report(0, 3,
                Essential("greeting", true), Essential("open_opening", false),
                Essential("safety_net", true, "closing"),
                Content("asked_about_radiation", true), Content("asked_about_smoking", false), Content("asked_about_family", false)),
            Report(1, 3, Essential("greeting", true), Essential("open_opening", true)),
        ]);

        standing.Competencies.Select(c => (c.Code, c.Assessed, c.Present, c.Rate, c.LatestRate)).Should().Equal(
            ("initiating", 4, 3, 0.75, 1.0),
            ("closing", 1, 1, 1.0, 1.0),
            ("clinical_content", 3, 1, 1.0 / 3, 1.0 / 3));
        standing.Competencies.Select(c => c.Title).Should().Equal("Initiating the session", "Closing the session", "Clinical content");
        standing.Items.Where(i => i.Kind == RubricItemKind.Content).Should().OnlyContain(i => i.Competency == "clinical_content");
    }

    [Fact]
    public void Items_follow_the_latest_reports_rubric_order_with_the_essentials_before_the_scenarios_own()
    {
        var standing = LearnerProgress.Compute(
        [
            Report(0, 3, Essential("follow_up", true, "closing"), Essential("empathy", true, "relationship")),
            Report(1, 3, Content("asked_about_smoking", true), Essential("greeting", true), Essential("empathy", false, "relationship")),
        ]);

        standing.Items.Select(i => i.Code).Should().Equal("greeting", "empathy", "follow_up", "asked_about_smoking");
    }

    [Fact]
    public void The_rates_of_a_snapshot_are_keyed_by_item_and_competency_code()
    {
        var standing = LearnerProgress.Compute(Greetings(true, false));

        standing.ItemRates().Should().BeEquivalentTo(new Dictionary<string, double> { ["greeting"] = 0.5 });
        standing.CompetencyRates().Should().BeEquivalentTo(new Dictionary<string, double> { ["initiating"] = 0.5 });
    }
}

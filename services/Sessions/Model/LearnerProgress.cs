namespace PracticePlatform.Sessions.Model;

/// <summary>How an item's or a competency's recent reports compare with the earlier ones.</summary>
public enum ProgressTrend
{
    /// <summary>Too few reports to compare: nothing before the most recent ones.</summary>
    New,
    Improving,
    Steady,
    Declining,
}

/// <summary>A learner's record on one rubric item over their reports.</summary>
/// <param name="Assessed">How many reports scored the item.</param>
/// <param name="Present">In how many of those it was present.</param>
/// <param name="Rate">Present / assessed, 0 to 1.</param>
/// <param name="Latest">Whether it was present in the most recent report that scored it.</param>
public sealed record ItemProgress(
    string Code,
    string Title,
    string Kind,
    string Competency,
    int Assessed,
    int Present,
    double Rate,
    bool Latest,
    ProgressTrend Trend);

/// <summary>A learner's record on one competency: its essential items pooled (clinical_content: the scenarios' own
/// items).</summary>
/// <param name="Assessed">How many item scorings the rate is over.</param>
/// <param name="LatestRate">The rate in the most recent report that scored the competency.</param>
public sealed record CompetencyProgress(
    string Code,
    string Title,
    int Assessed,
    int Present,
    double Rate,
    double LatestRate,
    ProgressTrend Trend);

/// <summary>Where a learner stands over a set of reports (each at its latest revision).</summary>
public sealed record ProgressStanding(
    int Reports,
    double? MeanGlobalRating,
    int? LatestGlobalRating,
    IReadOnlyList<ItemProgress> Items,
    IReadOnlyList<CompetencyProgress> Competencies)
{
    public IReadOnlyDictionary<string, double> ItemRates() => Items.ToDictionary(i => i.Code, i => i.Rate, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> CompetencyRates() =>
        Competencies.ToDictionary(c => c.Code, c => c.Rate, StringComparer.Ordinal);
}

/// <summary>
/// The progress computation: pure, over a learner's assessments. Reports are taken in the order they were first
/// produced; the trend compares the last <see cref="RecentReports"/> reports that scored an item (or competency)
/// with those before them.
/// </summary>
public static class LearnerProgress
{
    public const int RecentReports = 3;

    /// <summary>A difference in rate smaller than this is steady, not a trend.</summary>
    public const double SteadyMargin = 0.1;

    public const string ClinicalContent = "clinical_content";

    /// <summary>The competencies in consultation order, with the titles learners read.</summary>
    public static readonly IReadOnlyList<(string Code, string Title)> KnownCompetencies =
    [
        ("initiating", "Initiating the session"),
        ("gathering", "Gathering information"),
        ("relationship", "Building the relationship"),
        ("explanation", "Explanation and planning"),
        ("closing", "Closing the session"),
        (ClinicalContent, "Clinical content"),
    ];

    public static IReadOnlyList<Assessment> Chronological(IEnumerable<Assessment> assessments) =>
        assessments.OrderBy(a => a.ReportedAt).ThenBy(a => a.ReportId).ToList();

    public static ProgressStanding Compute(IEnumerable<Assessment> assessments)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var reports = Chronological(assessments);
        if (reports.Count == 0)
        {
            return new ProgressStanding(0, null, null, [], []);
        }

        var items = new Dictionary<string, (AssessedItem Last, List<(int Present, int Assessed)> Series)>(StringComparer.Ordinal);
        var competencies = new Dictionary<string, List<(int Present, int Assessed)>>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            var perCompetency = new Dictionary<string, (int Present, int Assessed)>(StringComparer.Ordinal);
            foreach (var item in report.Items.DistinctBy(i => i.Code))
            {
                var scored = (item.Present ? 1 : 0, 1);
                if (items.TryGetValue(item.Code, out var known))
                {
                    known.Series.Add(scored);
                    items[item.Code] = (item, known.Series);
                }
                else
                {
                    items[item.Code] = (item, [scored]);
                }

                var competency = CompetencyOf(item);
                var sofar = perCompetency.GetValueOrDefault(competency);
                perCompetency[competency] = (sofar.Present + scored.Item1, sofar.Assessed + 1);
            }

            foreach (var (competency, scored) in perCompetency)
            {
                if (!competencies.TryGetValue(competency, out var series))
                {
                    competencies[competency] = series = [];
                }

                series.Add(scored);
            }
        }

        // The latest report's rubric order first (items only older reports scored after), essentials before content.
        var order = reports.AsEnumerable().Reverse().SelectMany(r => r.Items).Select(i => i.Code).Distinct(StringComparer.Ordinal)
            .Select((code, index) => (code, index)).ToDictionary(x => x.code, x => x.index, StringComparer.Ordinal);
        var itemProgress = items
            .OrderBy(entry => entry.Value.Last.Kind == RubricItemKind.Content ? 1 : 0)
            .ThenBy(entry => order[entry.Key])
            .Select(entry =>
            {
                var (last, series) = entry.Value;
                var (present, assessed) = Total(series);
                return new ItemProgress(
                    last.Code, last.Title, last.Kind, CompetencyOf(last), assessed, present, Rate(present, assessed),
                    series[^1].Present == 1, TrendOf(series));
            })
            .ToList();

        var competencyProgress = competencies
            .OrderBy(entry => CompetencyRank(entry.Key))
            .ThenBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry =>
            {
                var (present, assessed) = Total(entry.Value);
                var latest = entry.Value[^1];
                return new CompetencyProgress(
                    entry.Key, CompetencyTitle(entry.Key), assessed, present, Rate(present, assessed),
                    Rate(latest.Present, latest.Assessed), TrendOf(entry.Value));
            })
            .ToList();

        return new ProgressStanding(
            reports.Count,
            reports.Average(r => (double)r.GlobalRating),
            reports[^1].GlobalRating,
            itemProgress,
            competencyProgress);
    }

    /// <summary>The competency an item counts in: its own for an essential, clinical content for a scenario's item.</summary>
    public static string CompetencyOf(AssessedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Kind == RubricItemKind.Content ? ClinicalContent : item.Competency;
    }

    public static string CompetencyTitle(string code)
    {
        foreach (var (known, title) in KnownCompetencies)
        {
            if (known == code)
            {
                return title;
            }
        }

        return code;
    }

    /// <summary>Recent rate against the earlier rate, over a competency's or item's reports in order.</summary>
    public static ProgressTrend TrendOf(IReadOnlyList<(int Present, int Assessed)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count <= RecentReports)
        {
            return ProgressTrend.New;
        }

        var (recentPresent, recentAssessed) = Total(series.Skip(series.Count - RecentReports));
        var (earlierPresent, earlierAssessed) = Total(series.Take(series.Count - RecentReports));
        var difference = Rate(recentPresent, recentAssessed) - Rate(earlierPresent, earlierAssessed);
        return difference >= SteadyMargin ? ProgressTrend.Improving
            : difference <= -SteadyMargin ? ProgressTrend.Declining
            : ProgressTrend.Steady;
    }

    private static (int Present, int Assessed) Total(IEnumerable<(int Present, int Assessed)> series) =>
        series.Aggregate((Present: 0, Assessed: 0), (sum, s) => (sum.Present + s.Present, sum.Assessed + s.Assessed));

    private static double Rate(int present, int assessed) => assessed == 0 ? 0 : (double)present / assessed;

    private static int CompetencyRank(string code)
    {
        for (var i = 0; i < KnownCompetencies.Count; i++)
        {
            if (KnownCompetencies[i].Code == code)
            {
                return i;
            }
        }

        return KnownCompetencies.Count;
    }
}

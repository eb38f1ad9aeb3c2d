namespace PracticePlatform.Sessions.Model;

/// <summary>A learner's progress: where they stand per rubric item and competency, and how that moved over time.
/// Content's recommender reads <c>items[].code</c> and <c>items[].rate</c>.</summary>
public sealed record LearnerProgressSummary(
    Guid LearnerId,
    int Reports,
    double? MeanGlobalRating,
    int? LatestGlobalRating,
    IReadOnlyList<ItemProgress> Items,
    IReadOnlyList<CompetencyProgress> Competencies,
    IReadOnlyList<ProgressPoint> Snapshots)
{
    public static LearnerProgressSummary From(Guid learnerId, ProgressStanding standing, IReadOnlyList<ProgressPoint> snapshots)
    {
        ArgumentNullException.ThrowIfNull(standing);
        return new(learnerId, standing.Reports, standing.MeanGlobalRating, standing.LatestGlobalRating, standing.Items,
            standing.Competencies, snapshots);
    }
}

/// <summary>The learner's standing right after one report (or revision) was applied: rates by item and competency code.</summary>
public sealed record ProgressPoint(
    DateTimeOffset At,
    Guid ReportId,
    Guid SessionId,
    int Revision,
    int GlobalRating,
    IReadOnlyDictionary<string, double> Items,
    IReadOnlyDictionary<string, double> Competencies)
{
    public static ProgressPoint From(ProgressSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(snapshot.At, snapshot.ReportId, snapshot.SessionId, snapshot.Revision, snapshot.GlobalRating, snapshot.Items,
            snapshot.Competencies);
    }
}

/// <summary>How a cohort does, over the reports of its learners the caller may read.</summary>
public sealed record CohortProgress(
    Guid CohortId,
    int LearnerCount,
    int Reports,
    double? MeanGlobalRating,
    IReadOnlyList<CohortItemRate> Items,
    IReadOnlyList<CohortCompetencyRate> Competencies,
    IReadOnlyList<CohortLearner> Learners);

/// <summary>One item across the cohort: in how many of its reports the item was scored and present.</summary>
public sealed record CohortItemRate(string Code, string Title, string Kind, string Competency, int Assessed, int Present, double Rate);

public sealed record CohortCompetencyRate(string Code, string Title, int Assessed, int Present, double Rate);

/// <summary>One learner of the cohort: how many reports, and the global rating of the most recent one.</summary>
public sealed record CohortLearner(Guid LearnerId, int Reports, double MeanGlobalRating, int LatestGlobalRating, DateTimeOffset LatestReportAt);

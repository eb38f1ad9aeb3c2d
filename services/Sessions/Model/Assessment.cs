using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Sessions.Model;

/// <summary>
/// What one feedback report said about a learner's session, at its latest revision: the input of their progress.
/// One row per report; an educator's override replaces the items with the corrected list.
/// </summary>
public sealed class Assessment : ILearnerOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>ai's report id: unique, the key revisions are matched on.</summary>
    public Guid ReportId { get; init; }

    public Guid SessionId { get; init; }

    public Guid LearnerId { get; init; }

    public Guid? InstitutionId { get; init; }

    public Guid? CohortId { get; init; }

    public Guid ScenarioId { get; init; }

    public int ScenarioVersion { get; init; }

    /// <summary>The report revision these items are from; only a higher one replaces them.</summary>
    public int Revision { get; set; }

    /// <summary>1 to 5.</summary>
    public int GlobalRating { get; set; }

    /// <summary>When the report was first produced, as far as sessions knows (the earliest generation time of the
    /// revisions it applied): the order of the learner's reports, which an override does not change.</summary>
    public DateTimeOffset ReportedAt { get; set; }

    /// <summary>When the applied revision was produced.</summary>
    public DateTimeOffset GeneratedAt { get; set; }

    public IReadOnlyList<AssessedItem> Items { get; set; } = [];
}

/// <summary>One rubric item as a report scored it (stored as jsonb with its assessment).</summary>
public sealed record AssessedItem(
    string Code,
    string Title,
    string Kind,
    string Competency,
    bool Present,
    double Score,
    bool Overridden);

/// <summary>The kinds of rubric item a report scores.</summary>
public static class RubricItemKind
{
    /// <summary>One of the sixteen consultation essentials, counted in its own competency.</summary>
    public const string Essential = "essential";

    /// <summary>A scenario's own item (the hidden facts elicited, ...), counted as clinical content.</summary>
    public const string Content = "content";
}

/// <summary>
/// A learner's standing right after a report (or a revision of one) was applied: their rate per item and per
/// competency over every report they had then, so progress can be drawn over time.
/// </summary>
public sealed class ProgressSnapshot : ILearnerOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid LearnerId { get; init; }

    /// <summary>The institution and cohort of the report that made this snapshot.</summary>
    public Guid? InstitutionId { get; init; }

    public Guid? CohortId { get; init; }

    public DateTimeOffset At { get; init; }

    public Guid ReportId { get; init; }

    public Guid SessionId { get; init; }

    public int Revision { get; init; }

    /// <summary>The global rating of the report that made this snapshot.</summary>
    public int GlobalRating { get; init; }

    /// <summary>Item code → rate (0 to 1).</summary>
    public IReadOnlyDictionary<string, double> Items { get; init; } = new Dictionary<string, double>();

    /// <summary>Competency code → rate (0 to 1).</summary>
    public IReadOnlyDictionary<string, double> Competencies { get; init; } = new Dictionary<string, double>();
}

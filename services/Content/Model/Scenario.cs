namespace PracticePlatform.Content.Model;

public enum Difficulty
{
    Foundation,
    Intermediate,
    Advanced,
}

/// <summary>A published practice scenario: the clinical situation a learner rehearses a conversation in.</summary>
public sealed class Scenario
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Title { get; set; }

    public required string Summary { get; set; }

    /// <summary>Where the conversation happens, e.g. "Primary care".</summary>
    public required string ClinicalArea { get; set; }

    public Difficulty Difficulty { get; set; }

    /// <summary>The communication model the conversation is assessed against, e.g. "SPIKES".</summary>
    public required string Framework { get; set; }

    public int EstimatedMinutes { get; set; }

    /// <summary>The published version; a practice session is pinned to the version it started with.</summary>
    public int Version { get; set; } = 1;

    public DateTimeOffset PublishedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>One scenario in the catalogue listing.</summary>
public sealed record ScenarioSummary(
    Guid Id,
    string Title,
    string ClinicalArea,
    Difficulty Difficulty,
    string Framework,
    string Summary,
    int Version,
    int EstimatedMinutes);

public sealed record ScenarioPage(IReadOnlyList<ScenarioSummary> Items, int Total);

public sealed record ScenarioDetails(
    Guid Id,
    string Title,
    string ClinicalArea,
    Difficulty Difficulty,
    string Framework,
    string Summary,
    int Version,
    int EstimatedMinutes,
    DateTimeOffset PublishedAt)
{
    public static ScenarioDetails From(Scenario scenario) => new(
        scenario.Id,
        scenario.Title,
        scenario.ClinicalArea,
        scenario.Difficulty,
        scenario.Framework,
        scenario.Summary,
        scenario.Version,
        scenario.EstimatedMinutes,
        scenario.PublishedAt);
}

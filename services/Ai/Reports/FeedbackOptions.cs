using System.ComponentModel.DataAnnotations;

namespace PracticePlatform.Ai.Reports;

/// <summary>How feedback reports are produced (<c>Ai:Feedback</c>).</summary>
public sealed class FeedbackOptions
{
    public const string SectionName = "Ai:Feedback";

    /// <summary>How often an idle worker looks for reports to make; a new session or transcript also wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a worker owns a report it works on without renewing; after that another worker resumes it
    /// from its last checkpoint (the first is presumed dead).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a report is given up as failed; between attempts the wait doubles from 2 s.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Prices per model name (US dollars per million tokens), to cost what a report used.</summary>
    public Dictionary<string, ModelPrice> Pricing { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class ModelPrice
{
    public decimal InputPerMillionTokens { get; set; }

    public decimal OutputPerMillionTokens { get; set; }

    public decimal CostOf(int inputTokens, int outputTokens) =>
        ((inputTokens * InputPerMillionTokens) + (outputTokens * OutputPerMillionTokens)) / 1_000_000m;
}

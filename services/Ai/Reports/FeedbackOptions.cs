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
}

/// <summary>What each model costs (<c>Ai:Pricing:{model}</c>), to put a price on the tokens the simulated patient and
/// the feedback engine use; a model not listed (the offline engines) costs nothing.</summary>
public sealed class AiPricing
{
    public const string SectionName = "Ai:Pricing";

    public Dictionary<string, ModelPrice> Models { get; } = new(StringComparer.OrdinalIgnoreCase);

    public decimal CostOf(string model, int inputTokens, int outputTokens) =>
        Models.TryGetValue(model, out var price) ? price.CostOf(inputTokens, outputTokens) : 0m;
}

public sealed class ModelPrice
{
    public decimal InputPerMillionTokens { get; set; }

    public decimal OutputPerMillionTokens { get; set; }

    public decimal CostOf(int inputTokens, int outputTokens) =>
        ((inputTokens * InputPerMillionTokens) + (outputTokens * OutputPerMillionTokens)) / 1_000_000m;
}

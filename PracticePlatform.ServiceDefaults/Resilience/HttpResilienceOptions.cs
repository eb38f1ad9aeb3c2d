using System.ComponentModel.DataAnnotations;

namespace PracticePlatform.ServiceDefaults.Resilience;

/// <summary>
/// The standard pipeline every HttpClient gets, bound from <c>HttpClientDefaults:Resilience</c>. The defaults are
/// those of Microsoft.Extensions.Http.Resilience's standard handler (which does not restore here).
/// </summary>
public sealed class HttpResilienceOptions
{
    public const string SectionName = "HttpClientDefaults:Resilience";

    /// <summary>Upper bound for the whole call, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the exponential back-off; each delay gets jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Share of failed calls within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.1;

    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

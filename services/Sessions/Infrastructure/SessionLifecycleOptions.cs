using Microsoft.Extensions.Options;

namespace PracticePlatform.Sessions.Infrastructure;

/// <summary>When idle sessions are abandoned: the "Sessions" section.</summary>
public sealed class SessionLifecycleOptions
{
    public const string SectionName = "Sessions";

    /// <summary>How often the abandonment job looks for idle sessions.</summary>
    public TimeSpan AbandonCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An active session whose last activity is older than this is abandoned.</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many sessions one transaction abandons; a run repeats batches until none is left.</summary>
    public int AbandonBatchSize { get; set; } = 100;
}

internal sealed class SessionLifecycleOptionsValidator : IValidateOptions<SessionLifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionLifecycleOptions options)
    {
        var failures = new List<string>();
        if (options.AbandonCheckInterval <= TimeSpan.Zero)
        {
            failures.Add("Sessions:AbandonCheckInterval must be positive.");
        }

        if (options.AbandonAfter <= TimeSpan.Zero)
        {
            failures.Add("Sessions:AbandonAfter must be positive.");
        }

        if (options.AbandonBatchSize is < 1 or > 10_000)
        {
            failures.Add("Sessions:AbandonBatchSize must be between 1 and 10000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Options;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>The "EventBus:Outbox" configuration section.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "EventBus:Outbox";

    /// <summary>How often the relay looks for unsent events when nothing told it about a commit: the path that
    /// delivers events saved before a crash, or while the broker was down.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events sent per relay transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The longest wait between attempts while the broker is unreachable (the wait doubles up to it).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the inbox remembers a handled event. It must outlast any redelivery: the broker's retention
    /// of the stream and the dead letters an operator might replay.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often expired inbox rows are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero || options.MaxRetryDelay <= TimeSpan.Zero || options.CleanupInterval <= TimeSpan.Zero)
        {
            failures.Add("EventBus:Outbox:PollInterval, MaxRetryDelay and CleanupInterval must be positive.");
        }

        if (options.BatchSize < 1)
        {
            failures.Add("EventBus:Outbox:BatchSize must be at least 1.");
        }

        if (options.InboxRetention <= TimeSpan.Zero)
        {
            failures.Add("EventBus:Outbox:InboxRetention must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

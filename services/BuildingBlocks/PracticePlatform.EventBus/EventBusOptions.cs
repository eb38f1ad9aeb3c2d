using Microsoft.Extensions.Options;

namespace PracticePlatform.EventBus;

/// <summary>The "EventBus" configuration section.</summary>
public sealed class EventBusOptions
{
    public const string SectionName = "EventBus";

    /// <summary>This service's consumer group: every instance of a service shares it, so each event is handled once
    /// per service. Defaults to OTEL_SERVICE_NAME, else the application name in lower case.</summary>
    public string ServiceName { get; set; } = string.Empty;

    /// <summary>Streams are named "{StreamPrefix}:{EventType}" and dead letters "{StreamPrefix}:{EventType}:dead".</summary>
    public string StreamPrefix { get; set; } = "events";

    /// <summary>Handler attempts before an event goes to the dead-letter stream.</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; it doubles with each further attempt (capped by <see cref="ClaimIdleTime"/>).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long another instance's unacknowledged event waits before this one assumes it died and takes over.</summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A consumer name (a stopped instance's) with nothing pending and no delivery for this long is removed
    /// from the group.</summary>
    public TimeSpan StaleConsumerTime { get; set; } = TimeSpan.FromHours(1);

    public int BatchSize { get; set; } = 32;

    /// <summary>How long one XREADGROUP waits for new events.</summary>
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Streams are trimmed to about this many entries on publish.</summary>
    public long MaxStreamLength { get; set; } = 100_000;

    internal TimeSpan RetryDelayFor(long attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var delay = RetryDelay * Math.Pow(2, exponent);
        return delay < ClaimIdleTime ? delay : ClaimIdleTime;
    }
}

internal sealed class EventBusOptionsValidator : IValidateOptions<EventBusOptions>
{
    public ValidateOptionsResult Validate(string? name, EventBusOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add("EventBus:ServiceName is required (or set OTEL_SERVICE_NAME).");
        }

        if (string.IsNullOrWhiteSpace(options.StreamPrefix))
        {
            failures.Add("EventBus:StreamPrefix is required.");
        }

        if (options.MaxDeliveryAttempts < 1)
        {
            failures.Add("EventBus:MaxDeliveryAttempts must be at least 1.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.ClaimIdleTime <= TimeSpan.Zero || options.BlockTime <= TimeSpan.Zero)
        {
            failures.Add("EventBus:RetryDelay, ClaimIdleTime and BlockTime must be positive.");
        }

        if (options.StaleConsumerTime <= TimeSpan.Zero)
        {
            failures.Add("EventBus:StaleConsumerTime must be positive.");
        }

        if (options.BatchSize < 1 || options.MaxStreamLength < 1)
        {
            failures.Add("EventBus:BatchSize and MaxStreamLength must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

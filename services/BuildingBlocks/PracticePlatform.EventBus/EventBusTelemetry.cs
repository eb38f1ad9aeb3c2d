using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PracticePlatform.EventBus;

/// <summary>The bus's ActivitySource and its meter's instruments, all tagged with the event type.</summary>
public sealed class EventBusTelemetry
{
    public const string Name = "PracticePlatform.EventBus";

    internal static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _published;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly ConcurrentDictionary<string, long> _lag = new(StringComparer.Ordinal);

    public EventBusTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        _published = meter.CreateCounter<long>("eventbus.published", "{event}", "Events published.");
        _delivered = meter.CreateCounter<long>("eventbus.delivered", "{event}", "Events handled successfully and acknowledged.");
        _retried = meter.CreateCounter<long>("eventbus.retried", "{event}", "Failed events taken up again for another attempt.");
        _deadLettered = meter.CreateCounter<long>("eventbus.dead_lettered", "{event}", "Events moved to the dead-letter stream.");
        meter.CreateObservableGauge(
            "eventbus.consumer.lag",
            () => _lag.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("event.type", l.Key))),
            "{event}",
            "Entries in the event's stream not yet delivered to this service's consumer group.");
    }

    internal void Published(string eventType) => _published.Add(1, Tag(eventType));

    internal void Delivered(string eventType, int count = 1) => _delivered.Add(count, Tag(eventType));

    internal void Retried(string eventType) => _retried.Add(1, Tag(eventType));

    internal void DeadLettered(string eventType) => _deadLettered.Add(1, Tag(eventType));

    /// <summary>Cached from the consumer's periodic pass, so collecting metrics never waits on Redis.</summary>
    internal void RecordLag(string eventType, long lag) => _lag[eventType] = lag;

    private static KeyValuePair<string, object?> Tag(string eventType) => new("event.type", eventType);
}

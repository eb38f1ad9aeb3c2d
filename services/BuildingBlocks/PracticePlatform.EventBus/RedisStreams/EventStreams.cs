using System.Globalization;
using Microsoft.Extensions.Options;

namespace PracticePlatform.EventBus.RedisStreams;

/// <summary>Stream names and the fields of a stream entry.</summary>
internal sealed class EventStreams(IOptions<EventBusOptions> options)
{
    public const string Id = "id";
    public const string Type = "type";
    public const string OccurredAt = "occurredAt";
    public const string Payload = "payload";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    public const string Group = "group";
    public const string Error = "error";
    public const string Attempts = "attempts";
    public const string DeadAt = "deadAt";
    public const string OriginalId = "originalId";

    /// <summary>The fields a dead letter adds to the event's own; dropped again on replay.</summary>
    public static readonly string[] DeadLetterFields = [Group, Error, Attempts, DeadAt, OriginalId];

    public string StreamOf(string eventType) => $"{options.Value.StreamPrefix}:{eventType}";

    public string DeadLetterStreamOf(string eventType) => $"{StreamOf(eventType)}:dead";

    /// <summary>A hash of entry id → last handler error, per consumer group.</summary>
    public string ErrorsOf(string eventType, string group) => $"{StreamOf(eventType)}:errors:{group}";

    public static List<KeyValuePair<string, string>> Fields(EventEnvelope envelope)
    {
        List<KeyValuePair<string, string>> fields =
        [
            new(Id, envelope.EventId.ToString()),
            new(Type, envelope.EventType),
            new(OccurredAt, envelope.OccurredAt.ToString("O", CultureInfo.InvariantCulture)),
            new(Payload, envelope.Payload),
        ];
        if (envelope.TraceParent is not null)
        {
            fields.Add(new(TraceParent, envelope.TraceParent));
        }

        if (envelope.TraceState is not null)
        {
            fields.Add(new(TraceState, envelope.TraceState));
        }

        return fields;
    }

    /// <summary>The envelope in an entry; throws <see cref="FormatException"/> when a required field is missing.</summary>
    public static EventEnvelope Envelope(IReadOnlyDictionary<string, string> fields) => new(
        Guid.Parse(Required(fields, Id)),
        Required(fields, Type),
        DateTimeOffset.Parse(Required(fields, OccurredAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        Required(fields, Payload),
        fields.GetValueOrDefault(TraceParent),
        fields.GetValueOrDefault(TraceState));

    private static string Required(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : throw new FormatException($"The stream entry has no '{name}' field.");
}

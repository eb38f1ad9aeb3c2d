using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticePlatform.EventBus;

/// <summary>Serializes events into envelopes with the caller's trace context and hands them to the transport.</summary>
internal sealed class EventBus(IEventTransport transport, EventBusTelemetry telemetry) : IEventBus
{
    /// <summary>Web defaults (camelCase, case-insensitive) and enums as camelCase names, written down so publisher
    /// and consumers never drift: a consumer's copy of an event may declare an enum as a string.</summary>
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task PublishAsync(IntegrationEvent @event, CancellationToken cancellationToken = default)
    {
        using var activity = StartPublishActivity(@event, "send");
        var envelope = CreateEnvelope(@event);
        await transport.PublishAsync(envelope, cancellationToken);
        telemetry.Published(envelope.EventType);
    }

    /// <summary>The producer span an event's handlers continue: "send" when published directly, "create" when saved
    /// to an outbox for later delivery.</summary>
    internal static Activity? StartPublishActivity(IntegrationEvent @event, string operation)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var eventType = EventTypeName.Of(@event.GetType());
        var activity = EventBusTelemetry.ActivitySource.StartActivity($"{eventType} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.operation.type", operation);
        activity?.SetTag("messaging.destination.name", eventType);
        activity?.SetTag("messaging.message.id", @event.Id.ToString());
        return activity;
    }

    /// <summary>The event as it travels, carrying the current W3C trace context.</summary>
    internal static EventEnvelope CreateEnvelope(IntegrationEvent @event)
    {
        var context = Activity.Current;
        var w3c = context is { IdFormat: ActivityIdFormat.W3C };
        return new EventEnvelope(
            @event.Id,
            EventTypeName.Of(@event.GetType()),
            @event.OccurredAt,
            JsonSerializer.Serialize(@event, @event.GetType(), SerializerOptions),
            w3c ? context!.Id : null,
            w3c ? context!.TraceStateString : null);
    }
}

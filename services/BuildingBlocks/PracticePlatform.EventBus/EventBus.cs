using System.Diagnostics;
using System.Text.Json;

namespace PracticePlatform.EventBus;

/// <summary>Serializes events into envelopes with the caller's trace context and hands them to the transport.</summary>
internal sealed class EventBus(IEventTransport transport, EventBusTelemetry telemetry) : IEventBus
{
    /// <summary>Web defaults (camelCase, case-insensitive), written down so publisher and consumers never drift.</summary>
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(IntegrationEvent @event, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var eventType = EventTypeName.Of(@event.GetType());
        using var activity = EventBusTelemetry.ActivitySource.StartActivity($"{eventType} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", eventType);
        activity?.SetTag("messaging.message.id", @event.Id.ToString());

        var context = Activity.Current;
        var w3c = context is { IdFormat: ActivityIdFormat.W3C };
        var envelope = new EventEnvelope(
            @event.Id,
            eventType,
            @event.OccurredAt,
            JsonSerializer.Serialize(@event, @event.GetType(), SerializerOptions),
            w3c ? context!.Id : null,
            w3c ? context!.TraceStateString : null);

        await transport.PublishAsync(envelope, cancellationToken);
        telemetry.Published(eventType);
    }
}

using Microsoft.Extensions.Options;
using PracticePlatform.Redis;

namespace PracticePlatform.EventBus.RedisStreams;

/// <summary>XADDs each envelope to its event type's stream, trimmed to about <see cref="EventBusOptions.MaxStreamLength"/>.</summary>
internal sealed class RedisStreamsTransport(RedisClient redis, EventStreams streams, IOptions<EventBusOptions> options) : IEventTransport
{
    public async Task PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        await redis.StreamAddAsync(streams.StreamOf(envelope.EventType), EventStreams.Fields(envelope), options.Value.MaxStreamLength, cancellationToken);
    }
}

using System.Text.Json;
using PracticePlatform.Redis;

namespace PracticePlatform.Realtime.Conversations;

/// <summary>A frame for every connection of a session except the one it came from.</summary>
public sealed record HubEnvelope(Guid Origin, ServerFrame Frame);

/// <summary>
/// Fans conversation frames out through Redis pub/sub, so connections of the same session on any replica see what
/// happens on the others (the reply produced on replica A reaches the learner who reconnected to replica B). Pub/sub
/// may drop messages while Redis reconnects; nothing is lost for good, because everything that matters is stored and
/// replayed on reconnection.
/// </summary>
public sealed class ConversationHub(RedisClient redis)
{
    private static string Channel(Guid sessionId) => $"realtime:conversation:{sessionId:N}";

    public Task PublishAsync(Guid sessionId, Guid origin, ServerFrame frame, CancellationToken cancellationToken) =>
        redis.PublishAsync(Channel(sessionId), JsonSerializer.Serialize(new HubEnvelope(origin, frame), ConversationProtocol.Json), cancellationToken);

    public async Task<IAsyncDisposable> SubscribeAsync(Guid sessionId, Func<HubEnvelope, ValueTask> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return await redis.SubscribeAsync(Channel(sessionId), async (message, _) =>
        {
            if (JsonSerializer.Deserialize<HubEnvelope>(message, ConversationProtocol.Json) is { } envelope)
            {
                await handler(envelope);
            }
        }, cancellationToken);
    }
}

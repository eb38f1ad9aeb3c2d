using System.Globalization;
using Microsoft.Extensions.Options;
using PracticePlatform.Redis;

namespace PracticePlatform.EventBus.RedisStreams;

/// <summary>Dead letters live in "{prefix}:{EventType}:dead"; replay puts the original fields back on the event's stream.</summary>
internal sealed class RedisDeadLetterStore(RedisClient redis, EventStreams streams, IOptions<EventBusOptions> options) : IDeadLetterStore
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string eventType, int count, CancellationToken cancellationToken = default)
    {
        var entries = await redis.StreamRangeAsync(streams.DeadLetterStreamOf(eventType), count: count, cancellationToken: cancellationToken);
        return entries.Select(entry => ToDeadLetter(entry)).ToList();
    }

    public async Task<DeadLetter?> FindAsync(string eventType, string deadLetterId, CancellationToken cancellationToken = default)
    {
        var entries = await redis.StreamRangeAsync(streams.DeadLetterStreamOf(eventType), deadLetterId, deadLetterId, 1, cancellationToken);
        return entries.Count == 0 ? null : ToDeadLetter(entries[0]);
    }

    public async Task<bool> ReplayAsync(string eventType, string deadLetterId, CancellationToken cancellationToken = default)
    {
        var deadLetters = streams.DeadLetterStreamOf(eventType);
        var entries = await redis.StreamRangeAsync(deadLetters, deadLetterId, deadLetterId, 1, cancellationToken);
        if (entries.Count == 0)
        {
            return false;
        }

        var original = entries[0].Fields.Where(f => !EventStreams.DeadLetterFields.Contains(f.Key));
        await redis.StreamAddAsync(streams.StreamOf(eventType), original, options.Value.MaxStreamLength, cancellationToken);
        await redis.StreamDeleteAsync(deadLetters, deadLetterId, cancellationToken);
        return true;
    }

    private static DeadLetter ToDeadLetter(StreamEntry entry)
    {
        var fields = entry.Fields;
        return new DeadLetter(
            entry.Id,
            fields.GetValueOrDefault(EventStreams.OriginalId, string.Empty),
            Guid.TryParse(fields.GetValueOrDefault(EventStreams.Id), out var eventId) ? eventId : Guid.Empty,
            fields.GetValueOrDefault(EventStreams.Type, string.Empty),
            fields.GetValueOrDefault(EventStreams.Payload, string.Empty),
            fields.GetValueOrDefault(EventStreams.Group, string.Empty),
            fields.GetValueOrDefault(EventStreams.Error, string.Empty),
            int.TryParse(fields.GetValueOrDefault(EventStreams.Attempts), CultureInfo.InvariantCulture, out var attempts) ? attempts : 0,
            DateTimeOffset.TryParse(fields.GetValueOrDefault(EventStreams.DeadAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var deadAt)
                ? deadAt
                : DateTimeOffset.MinValue);
    }
}

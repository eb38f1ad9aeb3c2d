using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PracticePlatform.Redis;

/// <summary>One handler's subscription to a channel: messages are queued and handled one at a time, in order, off the
/// connection's read loop, so a slow handler never delays other replies.</summary>
public sealed partial class RedisSubscription : IAsyncDisposable
{
    private readonly RedisClient _client;
    private readonly Channel<string> _queue = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private readonly ILogger _logger;

    internal RedisSubscription(RedisClient client, string channel, Func<string, CancellationToken, Task> handler, ILogger? logger)
    {
        _client = client;
        Channel = channel;
        _logger = logger ?? NullLogger.Instance;
        _pump = Task.Run(() => PumpAsync(handler));
    }

    public string Channel { get; }

    internal void Post(string message) => _queue.Writer.TryWrite(message);

    public async ValueTask DisposeAsync()
    {
        await _client.UnsubscribeAsync(this);
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _pump;
        _stopping.Dispose();
    }

    private async Task PumpAsync(Func<string, CancellationToken, Task> handler)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await handler(message, _stopping.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHandlerFailed(_logger, ex, Channel);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler for Redis channel {Channel} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string channel);
}

using System.Diagnostics;
using System.Threading.Channels;

namespace PracticePlatform.EventBus.Tests;

public sealed record OrderPlaced(string Item, int Quantity) : IntegrationEvent;

/// <summary>What one host's handler saw, and how it behaves: each host registers its own.</summary>
public sealed class HandlerLog
{
    private readonly Channel<Handled> _handled = Channel.CreateUnbounded<Handled>();
    private int _attempts;

    public Func<OrderPlaced, int, CancellationToken, Task> Behaviour { get; set; } = (_, _, _) => Task.CompletedTask;

    public int Attempts => Volatile.Read(ref _attempts);

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task Attempt(OrderPlaced @event, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempts);
        Started.TrySetResult();
        await Behaviour(@event, attempt, cancellationToken);
        _handled.Writer.TryWrite(new Handled(@event, Activity.Current));
    }

    public async Task<Handled> NextAsync(TimeSpan? timeout = null) =>
        await _handled.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(20));

    public bool TryTakeAnother(out Handled? handled) => _handled.Reader.TryRead(out handled);
}

public sealed record Handled(OrderPlaced Event, Activity? Activity);

public sealed class OrderPlacedHandler(HandlerLog log) : IIntegrationEventHandler<OrderPlaced>
{
    public Task HandleAsync(OrderPlaced @event, CancellationToken cancellationToken) => log.Attempt(@event, cancellationToken);
}

using System.Collections.Concurrent;
using System.Threading.Channels;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>
/// The sequence numbers of outbox rows this process has just committed, and a wake-up for the relay. The relay
/// fetches those rows by key, which stays fast however many sent rows the table's indexes still remember; rows
/// committed elsewhere (another replica, before a crash) are found by its periodic scan. If the relay falls far
/// behind, the list is dropped and the relay is told to scan instead, so memory stays bounded.
/// </summary>
internal sealed class OutboxSignal
{
    internal const int MaxPending = 10_000;

    private readonly ConcurrentQueue<long> _committed = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private int _pending;
    private int _overflowed;

    public void Committed(IEnumerable<long> sequences)
    {
        foreach (var sequence in sequences)
        {
            if (Interlocked.Increment(ref _pending) > MaxPending)
            {
                Interlocked.Decrement(ref _pending);
                Volatile.Write(ref _overflowed, 1);
            }
            else
            {
                _committed.Enqueue(sequence);
            }
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Up to <paramref name="max"/> committed sequence numbers, oldest first.</summary>
    public List<long> Take(int max)
    {
        var taken = new List<long>(Math.Min(max, Volatile.Read(ref _pending)));
        while (taken.Count < max && _committed.TryDequeue(out var sequence))
        {
            Interlocked.Decrement(ref _pending);
            taken.Add(sequence);
        }

        return taken;
    }

    /// <summary>True once after sequence numbers were dropped: the relay must scan the table for them.</summary>
    public bool TakeOverflow() => Interlocked.Exchange(ref _overflowed, 0) == 1;

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_wake.Reader.TryRead(out _))
        {
            return true;
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _wake.Reader.WaitToReadAsync(timeoutSource.Token);
            return _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>Wakes the relay as soon as saved events are committed: when SaveChanges returns, or, inside an
/// explicit transaction, when that transaction commits (before then the relay could not see the rows).</summary>
internal sealed class OutboxInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly object Marker = new();
    private readonly ConditionalWeakTable<DbContext, object> _savingWithoutTransaction = [];
    private readonly ConditionalWeakTable<DbTransaction, object> _transactionsWithEvents = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null || !context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            return;
        }

        if (context.Database.CurrentTransaction is { } transaction)
        {
            _transactionsWithEvents.AddOrUpdate(transaction.GetDbTransaction(), Marker);
        }
        else
        {
            _savingWithoutTransaction.AddOrUpdate(context, Marker);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && _savingWithoutTransaction.Remove(context))
        {
            signal.Notify();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _savingWithoutTransaction.Remove(context);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_transactionsWithEvents.Remove(transaction))
        {
            signal.Notify();
        }
    }
}

/// <summary>"There may be something new in the outbox": many notifications before the relay wakes count as one.</summary>
internal sealed class OutboxSignal
{
    private readonly Channel<bool> _notifications = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Notify() => _notifications.Writer.TryWrite(true);

    /// <summary>True when notified, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _notifications.Reader.WaitToReadAsync(timeoutSource.Token);
            return _notifications.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

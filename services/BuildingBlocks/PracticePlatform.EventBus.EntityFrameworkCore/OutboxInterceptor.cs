using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>Hands the relay the outbox rows of each commit as soon as it happens: when SaveChanges returns, or,
/// inside an explicit transaction, when that transaction commits (before then the relay could not see the rows).</summary>
internal sealed class OutboxInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<OutboxMessage>> _saving = [];
    private readonly ConditionalWeakTable<DbTransaction, List<OutboxMessage>> _uncommitted = [];

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
        if (context is null)
        {
            return;
        }

        var added = context.ChangeTracker.Entries<OutboxMessage>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        if (added.Count > 0)
        {
            _saving.AddOrUpdate(context, added);
        }
    }

    // The rows have their sequence numbers now; without a transaction of the caller's they are also committed.
    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var saved))
        {
            return;
        }

        _saving.Remove(context);
        if (context.Database.CurrentTransaction is { } transaction)
        {
            _uncommitted.GetOrCreateValue(transaction.GetDbTransaction()).AddRange(saved);
        }
        else
        {
            signal.Committed(saved.Select(m => m.Sequence));
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _saving.Remove(context);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_uncommitted.TryGetValue(transaction, out var committed))
        {
            _uncommitted.Remove(transaction);
            signal.Committed(committed.Select(m => m.Sequence));
        }
    }
}

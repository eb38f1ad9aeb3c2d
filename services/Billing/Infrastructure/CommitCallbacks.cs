using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>
/// Runs work (cache invalidations) only once the change it follows is committed: when SaveChanges returns outside a
/// transaction, or when the surrounding transaction (an endpoint's, or the event inbox's) commits. Invalidating
/// earlier would let a reader cache the old answer again before the commit; a rollback drops the work.
/// </summary>
public sealed partial class CommitCallbacks(ILogger<CommitCallbacks> logger) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<Func<CancellationToken, Task>>> _pending = [];

    public void OnCommit(DbContext db, Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(db);
        _pending.GetOrCreateValue(db).Add(work);
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && db.Database.CurrentTransaction is null)
        {
            await RunAsync(db, cancellationToken);
        }

        return result;
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db)
        {
            await RunAsync(db, cancellationToken);
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db)
        {
            _pending.Remove(db);
        }

        return Task.CompletedTask;
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } db && db.Database.CurrentTransaction is null)
        {
            _pending.Remove(db);
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs what is pending for a change already committed without SaveChanges noticing (raw SQL outside a
    /// transaction).</summary>
    public Task FlushAsync(DbContext db, CancellationToken cancellationToken) => RunAsync(db, cancellationToken);

    private async Task RunAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!_pending.TryGetValue(db, out var work) || work.Count == 0)
        {
            return;
        }

        _pending.Remove(db);
        foreach (var item in work)
        {
            try
            {
                await item(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The change is committed; a failed invalidation only leaves an answer cached until its time to live.
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work after a commit failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public static class BillingTransactions
{
    /// <summary>Runs <paramref name="work"/> in a transaction (retried from scratch on a transient failure), or inside
    /// the one already open (the event inbox's).</summary>
    public static async Task<T> InTransactionAsync<T>(this BillingDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        if (db.Database.CurrentTransaction is not null)
        {
            return await work(cancellationToken);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var result = await work(token);
            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);
    }
}

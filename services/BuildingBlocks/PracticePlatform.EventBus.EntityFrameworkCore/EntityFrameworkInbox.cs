using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>
/// Runs each handler inside a transaction on the service's DbContext that first inserts (event id, handler) into the
/// inbox table. The handler's own SaveChanges joins that transaction, so its effect and the inbox row commit
/// together or not at all. A second delivery finds the row and skips the handler; a concurrent one (another instance
/// took the entry over while this one was still working) waits on the row's lock and then skips.
/// </summary>
internal sealed partial class EntityFrameworkInbox<TContext>(TContext db, TimeProvider time, ILogger<EntityFrameworkInbox<TContext>> logger)
    : IIntegrationEventInbox
    where TContext : DbContext
{
    public async Task HandleOnceAsync(IntegrationEvent @event, Type handlerType, Func<CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(handlerType);
        ArgumentNullException.ThrowIfNull(handle);
        var handler = handlerType.FullName ?? handlerType.Name;
        var eventType = @event.GetType().Name;

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async token =>
        {
            // A retry after a transient database error starts again from a clean slate.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var now = time.GetUtcNow();
            var recorded = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO inbox_messages (event_id, handler, event_type, processed_at) VALUES ({@event.Id}, {handler}, {eventType}, {now}) ON CONFLICT DO NOTHING",
                token);
            if (recorded == 0)
            {
                LogDuplicate(logger, eventType, @event.Id, handler);
                await transaction.RollbackAsync(token);
                return;
            }

            await handle(token);
            await transaction.CommitAsync(token);
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{EventType} {EventId} was already processed by {Handler}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string eventType, Guid eventId, string handler);
}

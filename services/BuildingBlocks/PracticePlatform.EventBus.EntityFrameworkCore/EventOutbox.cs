using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

/// <summary>
/// Publishes events transactionally: an added event is written by the next <c>SaveChanges</c> of the service's
/// DbContext, in the same transaction as the state change, and sent to the broker after the commit. If the process
/// dies or the broker is down, the outbox relay sends it later, so a committed change never loses its event.
/// </summary>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "@event, as in eShop")]
public interface IEventOutbox
{
    void Add(IntegrationEvent @event);
}

internal sealed class EventOutbox<TContext>(TContext db) : IEventOutbox
    where TContext : DbContext
{
    public void Add(IntegrationEvent @event)
    {
        // The span ends now; the relay's send and every handler continue its trace, whenever they run.
        using var activity = EventBus.StartPublishActivity(@event, "create");
        db.Set<OutboxMessage>().Add(OutboxMessage.From(EventBus.CreateEnvelope(@event)));
    }
}

using Microsoft.EntityFrameworkCore;

namespace PracticePlatform.EventBus.EntityFrameworkCore;

public static class EventBusModelBuilderExtensions
{
    internal const string OutboxTable = "outbox_messages";
    internal const string InboxTable = "inbox_messages";

    /// <summary>Adds the outbox and inbox tables to a service's model; call it from <c>OnModelCreating</c> and add a
    /// migration.</summary>
    public static ModelBuilder AddEventBusTables(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.ToTable(OutboxTable);
            message.HasKey(m => m.Sequence);
            message.Property(m => m.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
            message.Property(m => m.EventId).HasColumnName("event_id");
            message.Property(m => m.EventType).HasColumnName("event_type").HasMaxLength(200);
            message.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            message.Property(m => m.Payload).HasColumnName("payload");
            message.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(128);
            message.Property(m => m.TraceState).HasColumnName("trace_state").HasMaxLength(512);
            message.Property(m => m.CreatedAt).HasColumnName("created_at");
            message.Property(m => m.Attempts).HasColumnName("attempts");
            message.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            message.HasIndex(m => m.EventId).IsUnique();
        });

        modelBuilder.Entity<InboxMessage>(message =>
        {
            message.ToTable(InboxTable);
            message.HasKey(m => new { m.EventId, m.Handler });
            message.Property(m => m.EventId).HasColumnName("event_id");
            message.Property(m => m.Handler).HasColumnName("handler").HasMaxLength(300);
            message.Property(m => m.EventType).HasColumnName("event_type").HasMaxLength(200);
            message.Property(m => m.ProcessedAt).HasColumnName("processed_at");
            message.HasIndex(m => m.ProcessedAt);
        });

        return modelBuilder;
    }
}

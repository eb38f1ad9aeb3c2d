using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Realtime.LiveKit;
using PracticePlatform.Realtime.Model;

namespace PracticePlatform.Realtime.Infrastructure;

public sealed class RealtimeDbContext(DbContextOptions<RealtimeDbContext> options) : DbContext(options)
{
    public DbSet<SessionMessage> SessionMessages => Set<SessionMessage>();

    public DbSet<Conversation> Conversations => Set<Conversation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SessionMessage>(message =>
        {
            message.ToTable("session_messages");
            message.HasKey(m => m.Id);
            message.Property(m => m.Id).HasColumnName("id");
            message.Property(m => m.PracticeSessionId).HasColumnName("practice_session_id");
            message.Property(m => m.Seq).HasColumnName("seq");
            message.Property(m => m.Speaker).HasColumnName("speaker").HasConversion<string>().HasMaxLength(20);
            message.Property(m => m.Text).HasColumnName("text").HasMaxLength(SessionMessage.MaxTextLength);
            message.Property(m => m.ClientMessageId).HasColumnName("client_message_id");
            message.Property(m => m.CreatedAt).HasColumnName("created_at");
            message.HasIndex(m => new { m.PracticeSessionId, m.Seq }).IsUnique();
            message.HasIndex(m => new { m.PracticeSessionId, m.ClientMessageId }).IsUnique();
        });

        modelBuilder.Entity<Conversation>(conversation =>
        {
            conversation.ToTable("conversations");
            conversation.HasKey(c => c.PracticeSessionId);
            conversation.Property(c => c.PracticeSessionId).HasColumnName("practice_session_id");
            conversation.Property(c => c.LearnerId).HasColumnName("learner_id");
            conversation.Property(c => c.InstitutionId).HasColumnName("institution_id");
            conversation.Property(c => c.ScenarioId).HasColumnName("scenario_id");
            conversation.Property(c => c.ScenarioVersion).HasColumnName("scenario_version");
            conversation.Property(c => c.LastSeq).HasColumnName("last_seq");
            conversation.Property(c => c.CreatedAt).HasColumnName("created_at");
            conversation.Property(c => c.ClosedAt).HasColumnName("closed_at");
        });

        modelBuilder.AddEventBusTables();
        modelBuilder.AddLiveKitTables();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class RealtimeDbContextDesignTimeFactory : IDesignTimeDbContextFactory<RealtimeDbContext>
{
    public RealtimeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RealtimeDbContext>().UseNpgsql("Host=localhost;Database=realtimedb").Options);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.Infrastructure;

public sealed class SessionsDbContext(DbContextOptions<SessionsDbContext> options) : DbContext(options)
{
    public DbSet<PracticeSession> PracticeSessions => Set<PracticeSession>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PracticeSession>(session =>
        {
            session.ToTable("practice_sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasColumnName("id");
            session.Property(s => s.LearnerId).HasColumnName("learner_id");
            session.Property(s => s.InstitutionId).HasColumnName("institution_id");
            session.Property(s => s.ScenarioId).HasColumnName("scenario_id");
            session.Property(s => s.ScenarioVersion).HasColumnName("scenario_version");
            session.Property(s => s.Mode).HasColumnName("mode").HasConversion<string>().HasMaxLength(20);
            session.Property(s => s.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            session.Property(s => s.StartedAt).HasColumnName("started_at");
            session.Property(s => s.EndedAt).HasColumnName("ended_at");
            session.Property(s => s.Version).IsRowVersion();
            // Educators list their institution's sessions, learners their own.
            session.HasIndex(s => new { s.InstitutionId, s.LearnerId });
        });

        modelBuilder.AddEventBusTables();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class SessionsDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SessionsDbContext>
{
    public SessionsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SessionsDbContext>().UseNpgsql("Host=localhost;Database=sessionsdb").Options);
}

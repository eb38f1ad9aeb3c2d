using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.Infrastructure;

public sealed class SessionsDbContext(DbContextOptions<SessionsDbContext> options) : DbContext(options)
{
    public DbSet<PracticeSession> PracticeSessions => Set<PracticeSession>();

    public DbSet<SessionActivity> SessionActivities => Set<SessionActivity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PracticeSession>(session =>
        {
            session.ToTable("practice_sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasColumnName("id");
            session.Property(s => s.LearnerId).HasColumnName("learner_id");
            session.Property(s => s.InstitutionId).HasColumnName("institution_id");
            session.Property(s => s.CohortId).HasColumnName("cohort_id");
            session.Property(s => s.ScenarioId).HasColumnName("scenario_id");
            session.Property(s => s.ScenarioVersion).HasColumnName("scenario_version");
            session.Property(s => s.Mode).HasColumnName("mode").HasConversion<string>().HasMaxLength(20);
            session.Property(s => s.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            session.Property(s => s.StartedAt).HasColumnName("started_at");
            session.Property(s => s.EndedAt).HasColumnName("ended_at");
            session.Property(s => s.LastActivityAt).HasColumnName("last_activity_at");
            session.Property(s => s.Version).IsRowVersion();
            // Institution admins list their institution's sessions, learners their own, educators their cohorts'.
            session.HasIndex(s => new { s.InstitutionId, s.LearnerId });
            session.HasIndex(s => new { s.CohortId, s.StartedAt });
            // The abandonment job looks for active sessions idle the longest.
            session.HasIndex(s => s.LastActivityAt).HasFilter("status = 'Active'");
        });

        modelBuilder.Entity<SessionActivity>(activity =>
        {
            activity.ToTable("session_activities", table => table.HasCheckConstraint(
                "ck_session_activities_kind", "kind IN ('started', 'conversation', 'completed', 'abandoned')"));
            activity.HasKey(a => a.Id);
            activity.Property(a => a.Id).HasColumnName("id");
            activity.Property(a => a.SessionId).HasColumnName("session_id");
            activity.Property(a => a.At).HasColumnName("at");
            activity.Property(a => a.Kind).HasColumnName("kind").HasMaxLength(20)
                .HasConversion(kind => kind.ToString().ToLowerInvariant(), kind => Enum.Parse<SessionActivityKind>(kind, true));
            activity.Property(a => a.Detail).HasColumnName("detail").HasMaxLength(500);
            activity.HasOne<PracticeSession>().WithMany().HasForeignKey(a => a.SessionId).OnDelete(DeleteBehavior.Cascade);
            activity.HasIndex(a => new { a.SessionId, a.At });
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

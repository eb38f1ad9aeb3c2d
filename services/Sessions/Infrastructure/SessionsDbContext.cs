using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.Infrastructure;

public sealed class SessionsDbContext(DbContextOptions<SessionsDbContext> options) : DbContext(options)
{
    public DbSet<PracticeSession> PracticeSessions => Set<PracticeSession>();

    public DbSet<SessionActivity> SessionActivities => Set<SessionActivity>();

    public DbSet<Assessment> Assessments => Set<Assessment>();

    public DbSet<ProgressSnapshot> ProgressSnapshots => Set<ProgressSnapshot>();

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

        modelBuilder.Entity<Assessment>(assessment =>
        {
            assessment.ToTable("assessments");
            assessment.HasKey(a => a.Id);
            assessment.Property(a => a.Id).HasColumnName("id");
            assessment.Property(a => a.ReportId).HasColumnName("report_id");
            assessment.Property(a => a.SessionId).HasColumnName("session_id");
            assessment.Property(a => a.LearnerId).HasColumnName("learner_id");
            assessment.Property(a => a.InstitutionId).HasColumnName("institution_id");
            assessment.Property(a => a.CohortId).HasColumnName("cohort_id");
            assessment.Property(a => a.ScenarioId).HasColumnName("scenario_id");
            assessment.Property(a => a.ScenarioVersion).HasColumnName("scenario_version");
            assessment.Property(a => a.Revision).HasColumnName("revision");
            assessment.Property(a => a.GlobalRating).HasColumnName("global_rating");
            assessment.Property(a => a.ReportedAt).HasColumnName("reported_at");
            assessment.Property(a => a.GeneratedAt).HasColumnName("generated_at");
            assessment.Property(a => a.Items).HasColumnName("items").HasColumnType("jsonb")
                .HasConversion(
                    items => JsonSerializer.Serialize(items, StoredJson),
                    json => JsonSerializer.Deserialize<List<AssessedItem>>(json, StoredJson) ?? new List<AssessedItem>(),
                    new ValueComparer<IReadOnlyList<AssessedItem>>(
                        (a, b) => a == b || (a != null && b != null && a.SequenceEqual(b)),
                        items => items.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
                        items => items.ToList()));
            assessment.HasIndex(a => a.ReportId).IsUnique();
            // Progress reads one learner's reports; cohort analytics one cohort's.
            assessment.HasIndex(a => new { a.LearnerId, a.ReportedAt });
            assessment.HasIndex(a => new { a.CohortId, a.LearnerId });
        });

        modelBuilder.Entity<ProgressSnapshot>(snapshot =>
        {
            snapshot.ToTable("progress_snapshots");
            snapshot.HasKey(s => s.Id);
            snapshot.Property(s => s.Id).HasColumnName("id");
            snapshot.Property(s => s.LearnerId).HasColumnName("learner_id");
            snapshot.Property(s => s.InstitutionId).HasColumnName("institution_id");
            snapshot.Property(s => s.CohortId).HasColumnName("cohort_id");
            snapshot.Property(s => s.At).HasColumnName("at");
            snapshot.Property(s => s.ReportId).HasColumnName("report_id");
            snapshot.Property(s => s.SessionId).HasColumnName("session_id");
            snapshot.Property(s => s.Revision).HasColumnName("revision");
            snapshot.Property(s => s.GlobalRating).HasColumnName("global_rating");
            snapshot.Property(s => s.Items).HasColumnName("items").HasColumnType("jsonb").HasConversion(RatesConverter, RatesComparer);
            snapshot.Property(s => s.Competencies).HasColumnName("competencies").HasColumnType("jsonb").HasConversion(RatesConverter, RatesComparer);
            snapshot.HasIndex(s => new { s.LearnerId, s.At });
        });

        modelBuilder.AddEventBusTables();
    }

    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web);

    private static readonly ValueConverter<IReadOnlyDictionary<string, double>, string> RatesConverter =
        new(rates => JsonSerializer.Serialize(rates, StoredJson),
            json => JsonSerializer.Deserialize<Dictionary<string, double>>(json, StoredJson) ?? new Dictionary<string, double>());

    private static readonly ValueComparer<IReadOnlyDictionary<string, double>> RatesComparer = new(
        (a, b) => a == b || (a != null && b != null && a.Count == b.Count && a.All(rate => b.Contains(rate))),
        rates => rates.Count,
        rates => rates.ToDictionary(rate => rate.Key, rate => rate.Value));
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class SessionsDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SessionsDbContext>
{
    public SessionsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SessionsDbContext>().UseNpgsql("Host=localhost;Database=sessionsdb").Options);
}

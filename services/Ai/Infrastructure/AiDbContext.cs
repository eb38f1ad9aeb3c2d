using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Ai.Infrastructure;

public sealed class AiDbContext(DbContextOptions<AiDbContext> options) : DbContext(options)
{
    public DbSet<FeedbackReport> FeedbackReports => Set<FeedbackReport>();

    public DbSet<ScenarioSnapshot> ScenarioSnapshots => Set<ScenarioSnapshot>();

    public DbSet<PatientReplyUsage> PatientReplyUsages => Set<PatientReplyUsage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FeedbackReport>(report =>
        {
            report.ToTable("feedback_reports", table =>
                table.HasCheckConstraint("ck_feedback_reports_global_rating", "global_rating BETWEEN 1 AND 5"));
            report.HasKey(r => r.Id);
            report.Property(r => r.Id).HasColumnName("id");
            report.Property(r => r.PracticeSessionId).HasColumnName("practice_session_id");
            report.Property(r => r.LearnerId).HasColumnName("learner_id");
            report.Property(r => r.InstitutionId).HasColumnName("institution_id");
            report.Property(r => r.CohortId).HasColumnName("cohort_id");
            report.Property(r => r.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            report.Property(r => r.GlobalRating).HasColumnName("global_rating");
            report.Property(r => r.EngineName).HasColumnName("engine_name").HasMaxLength(100);
            report.Property(r => r.EngineVersion).HasColumnName("engine_version").HasMaxLength(50);
            report.Property(r => r.Model).HasColumnName("model").HasMaxLength(100);
            report.Property(r => r.PromptVersion).HasColumnName("prompt_version").HasMaxLength(50);
            report.Property(r => r.RubricVersion).HasColumnName("rubric_version").HasMaxLength(50);
            report.Property(r => r.CreatedAt).HasColumnName("created_at");
            report.Property(r => r.CompletedAt).HasColumnName("completed_at");
            report.HasIndex(r => r.PracticeSessionId).IsUnique();
        });

        modelBuilder.Entity<ScenarioSnapshot>(snapshot =>
        {
            snapshot.ToTable("scenario_snapshots");
            snapshot.HasKey(s => new { s.ScenarioId, s.Version });
            snapshot.Property(s => s.ScenarioId).HasColumnName("scenario_id");
            snapshot.Property(s => s.Version).HasColumnName("version");
            snapshot.Property(s => s.InstitutionId).HasColumnName("institution_id");
            snapshot.Property(s => s.Title).HasColumnName("title").HasMaxLength(200);
            snapshot.Property(s => s.Document).HasColumnName("document").HasColumnType("jsonb");
            snapshot.Property(s => s.PublishedAt).HasColumnName("published_at");
            snapshot.Property(s => s.ReceivedAt).HasColumnName("received_at");
        });

        modelBuilder.Entity<PatientReplyUsage>(usage =>
        {
            usage.ToTable("patient_reply_usage");
            usage.HasKey(u => u.Id);
            usage.Property(u => u.Id).HasColumnName("id");
            usage.Property(u => u.PracticeSessionId).HasColumnName("practice_session_id");
            usage.Property(u => u.LearnerId).HasColumnName("learner_id");
            usage.Property(u => u.InstitutionId).HasColumnName("institution_id");
            usage.Property(u => u.ScenarioId).HasColumnName("scenario_id");
            usage.Property(u => u.ScenarioVersion).HasColumnName("scenario_version");
            usage.Property(u => u.Provider).HasColumnName("provider").HasMaxLength(40);
            usage.Property(u => u.Model).HasColumnName("model").HasMaxLength(100);
            usage.Property(u => u.Intent).HasColumnName("intent").HasMaxLength(40);
            usage.Property(u => u.LatencyMs).HasColumnName("latency_ms");
            usage.Property(u => u.InputTokens).HasColumnName("input_tokens");
            usage.Property(u => u.OutputTokens).HasColumnName("output_tokens");
            usage.Property(u => u.CreatedAt).HasColumnName("created_at");
            usage.HasIndex(u => u.PracticeSessionId);
            usage.HasIndex(u => new { u.InstitutionId, u.CreatedAt });
        });

        modelBuilder.AddEventBusTables();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class AiDbContextDesignTimeFactory : IDesignTimeDbContextFactory<AiDbContext>
{
    public AiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AiDbContext>().UseNpgsql("Host=localhost;Database=aidb").Options);
}

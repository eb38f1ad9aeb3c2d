using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Ai.Infrastructure;

public sealed class AiDbContext(DbContextOptions<AiDbContext> options) : DbContext(options)
{
    public DbSet<FeedbackReport> FeedbackReports => Set<FeedbackReport>();

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

        modelBuilder.AddEventBusTables();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class AiDbContextDesignTimeFactory : IDesignTimeDbContextFactory<AiDbContext>
{
    public AiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AiDbContext>().UseNpgsql("Host=localhost;Database=aidb").Options);
}

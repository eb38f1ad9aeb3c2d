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

    public DbSet<AgentExecution> AgentExecutions => Set<AgentExecution>();

    public DbSet<AgentCheckpoint> AgentCheckpoints => Set<AgentCheckpoint>();

    public DbSet<SessionTranscript> SessionTranscripts => Set<SessionTranscript>();

    public DbSet<FeedbackUsageRecord> FeedbackUsages => Set<FeedbackUsageRecord>();

    public DbSet<FeedbackOverrideRecord> FeedbackOverrides => Set<FeedbackOverrideRecord>();

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
            report.Property(r => r.ScenarioId).HasColumnName("scenario_id");
            report.Property(r => r.ScenarioVersion).HasColumnName("scenario_version");
            report.Property(r => r.SessionEndedAt).HasColumnName("session_ended_at");
            report.Property(r => r.Items).HasColumnName("items").HasColumnType("jsonb").HasConversion(JsonColumn.Converter<List<ReportItem>>(), JsonColumn.Comparer<List<ReportItem>>());
            report.Property(r => r.Strengths).HasColumnName("strengths").HasColumnType("jsonb").HasConversion(JsonColumn.Converter<List<string>>(), JsonColumn.Comparer<List<string>>());
            report.Property(r => r.Goals).HasColumnName("goals").HasColumnType("jsonb").HasConversion(JsonColumn.Converter<List<string>>(), JsonColumn.Comparer<List<string>>());
            report.Property(r => r.Comparison).HasColumnName("comparison").HasColumnType("jsonb").HasConversion(JsonColumn.Converter<AttemptComparison?>(), JsonColumn.Comparer<AttemptComparison?>());
            report.Property(r => r.Revision).HasColumnName("revision");
            report.Property(r => r.FailureReason).HasColumnName("failure_reason").HasMaxLength(500);
            report.Property(r => r.RowVersion).IsRowVersion();
            report.HasIndex(r => r.PracticeSessionId).IsUnique();

            // Earlier attempts at the same scenario, for the comparison in each new report.
            report.HasIndex(r => new { r.LearnerId, r.ScenarioId, r.SessionEndedAt });
        });

        modelBuilder.Entity<AgentExecution>(execution =>
        {
            execution.ToTable("agent_executions");
            execution.HasKey(e => e.Id);
            execution.Property(e => e.Id).HasColumnName("id");
            execution.Property(e => e.Agent).HasColumnName("agent").HasMaxLength(50);
            execution.Property(e => e.SubjectId).HasColumnName("subject_id");
            execution.Property(e => e.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            execution.Property(e => e.Attempts).HasColumnName("attempts");
            execution.Property(e => e.NotBefore).HasColumnName("not_before");
            execution.Property(e => e.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(200);
            execution.Property(e => e.LeaseExpiresAt).HasColumnName("lease_expires_at");
            execution.Property(e => e.Configuration).HasColumnName("configuration").HasColumnType("jsonb");
            execution.Property(e => e.LastError).HasColumnName("last_error").HasMaxLength(2000);
            execution.Property(e => e.CreatedAt).HasColumnName("created_at");
            execution.Property(e => e.CompletedAt).HasColumnName("completed_at");
            execution.HasIndex(e => new { e.Agent, e.SubjectId }).IsUnique();

            // The worker's lease query looks only at unfinished runs.
            execution.HasIndex(e => new { e.Agent, e.CreatedAt }).HasFilter("status IN ('Pending', 'Running')");
        });

        modelBuilder.Entity<AgentCheckpoint>(checkpoint =>
        {
            checkpoint.ToTable("agent_checkpoints");
            checkpoint.HasKey(c => new { c.ExecutionId, c.Step });
            checkpoint.Property(c => c.ExecutionId).HasColumnName("execution_id");
            checkpoint.Property(c => c.Step).HasColumnName("step").HasMaxLength(50);
            checkpoint.Property(c => c.State).HasColumnName("state").HasColumnType("jsonb");
            checkpoint.Property(c => c.At).HasColumnName("at");
            checkpoint.HasOne<AgentExecution>().WithMany().HasForeignKey(c => c.ExecutionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SessionTranscript>(transcript =>
        {
            transcript.ToTable("session_transcripts");
            transcript.HasKey(t => t.PracticeSessionId);
            transcript.Property(t => t.PracticeSessionId).HasColumnName("practice_session_id");
            transcript.Property(t => t.Turns).HasColumnName("turns").HasColumnType("jsonb").HasConversion(JsonColumn.Converter<List<SessionTranscriptTurn>>(), JsonColumn.Comparer<List<SessionTranscriptTurn>>());
            transcript.Property(t => t.EndedAt).HasColumnName("ended_at");
            transcript.Property(t => t.ReceivedAt).HasColumnName("received_at");
        });

        modelBuilder.Entity<FeedbackUsageRecord>(usage =>
        {
            usage.ToTable("feedback_usage");
            usage.HasKey(u => u.Id);
            usage.Property(u => u.Id).HasColumnName("id");
            usage.Property(u => u.ExecutionId).HasColumnName("execution_id");
            usage.Property(u => u.PracticeSessionId).HasColumnName("practice_session_id");
            usage.Property(u => u.LearnerId).HasColumnName("learner_id");
            usage.Property(u => u.InstitutionId).HasColumnName("institution_id");
            usage.Property(u => u.Provider).HasColumnName("provider").HasMaxLength(40);
            usage.Property(u => u.Model).HasColumnName("model").HasMaxLength(100);
            usage.Property(u => u.InputTokens).HasColumnName("input_tokens");
            usage.Property(u => u.OutputTokens).HasColumnName("output_tokens");
            usage.Property(u => u.LatencyMs).HasColumnName("latency_ms");
            usage.Property(u => u.Cost).HasColumnName("cost").HasPrecision(14, 6);
            usage.Property(u => u.CreatedAt).HasColumnName("created_at");

            // A report's usage is counted once, whatever happens to the run that made it.
            usage.HasIndex(u => u.ExecutionId).IsUnique();
            usage.HasIndex(u => new { u.InstitutionId, u.CreatedAt });
        });

        modelBuilder.Entity<FeedbackOverrideRecord>(record =>
        {
            record.ToTable("feedback_overrides");
            record.HasKey(o => o.Id);
            record.Property(o => o.Id).HasColumnName("id");
            record.Property(o => o.ReportId).HasColumnName("report_id");
            record.Property(o => o.PracticeSessionId).HasColumnName("practice_session_id");
            record.Property(o => o.ItemCode).HasColumnName("item_code").HasMaxLength(100);
            record.Property(o => o.PreviousPresent).HasColumnName("previous_present");
            record.Property(o => o.PreviousScore).HasColumnName("previous_score");
            record.Property(o => o.Present).HasColumnName("present");
            record.Property(o => o.Score).HasColumnName("score");
            record.Property(o => o.Reason).HasColumnName("reason").HasMaxLength(1000);
            record.Property(o => o.EducatorId).HasColumnName("educator_id");
            record.Property(o => o.At).HasColumnName("at");
            record.HasOne<FeedbackReport>().WithMany().HasForeignKey(o => o.ReportId).OnDelete(DeleteBehavior.Restrict);
            record.HasIndex(o => o.ReportId);
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

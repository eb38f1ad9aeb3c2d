using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.Content.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Content.Infrastructure;

public sealed class ContentDbContext(DbContextOptions<ContentDbContext> options) : DbContext(options)
{
    public DbSet<Scenario> Scenarios => Set<Scenario>();

    public DbSet<ScenarioVersion> ScenarioVersions => Set<ScenarioVersion>();

    public DbSet<ScenarioRating> ScenarioRatings => Set<ScenarioRating>();

    public DbSet<MediaFile> MediaFiles => Set<MediaFile>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Documents are stored as jsonb in the scenario format itself, so an export is exactly what was stored.
        var documentComparer = new ValueComparer<ScenarioDocument>(
            (a, b) => ReferenceEquals(a, b),
            d => d.GetHashCode(),
            d => d);

        modelBuilder.Entity<Scenario>(scenario =>
        {
            scenario.ToTable("scenarios");
            scenario.HasKey(s => s.Id);
            scenario.Property(s => s.Id).HasColumnName("id");
            scenario.Property(s => s.InstitutionId).HasColumnName("institution_id");
            scenario.Property(s => s.Slug).HasColumnName("slug").HasMaxLength(80);
            scenario.Property(s => s.Draft).HasColumnName("draft").HasColumnType("jsonb")
                .HasConversion(d => Serialize(d!), json => Deserialize(json), documentComparer);
            scenario.Property(s => s.DraftRevision).HasColumnName("draft_revision").IsConcurrencyToken();
            scenario.Property(s => s.DraftUpdatedAt).HasColumnName("draft_updated_at");
            scenario.Property(s => s.DraftUpdatedBy).HasColumnName("draft_updated_by");
            scenario.Property(s => s.LatestVersion).HasColumnName("latest_version").IsConcurrencyToken();
            scenario.Property(s => s.CreatedAt).HasColumnName("created_at");
            scenario.Property(s => s.CreatedBy).HasColumnName("created_by");
            scenario.Property(s => s.RatingCount).HasColumnName("rating_count");
            scenario.Property(s => s.RatingSum).HasColumnName("rating_sum");
            scenario.Property(s => s.SeedHash).HasColumnName("seed_hash").HasMaxLength(64);

            // One slug per owner; platform-wide scenarios (no institution) share one namespace.
            scenario.HasIndex(s => new { s.InstitutionId, s.Slug }).IsUnique().AreNullsDistinct(false);
        });

        modelBuilder.Entity<ScenarioVersion>(version =>
        {
            version.ToTable("scenario_versions");
            version.HasKey(v => new { v.ScenarioId, v.Version });
            version.Property(v => v.ScenarioId).HasColumnName("scenario_id");
            version.Property(v => v.Version).HasColumnName("version");
            version.Property(v => v.InstitutionId).HasColumnName("institution_id");
            version.Property(v => v.IsLatest).HasColumnName("is_latest");
            version.Property(v => v.Slug).HasColumnName("slug").HasMaxLength(80);
            version.Property(v => v.Title).HasColumnName("title").HasMaxLength(120);
            version.Property(v => v.Summary).HasColumnName("summary").HasMaxLength(600);
            version.Property(v => v.ClinicalArea).HasColumnName("clinical_area").HasMaxLength(60);
            version.Property(v => v.Setting).HasColumnName("setting").HasMaxLength(120);
            version.Property(v => v.Difficulty).HasColumnName("difficulty").HasConversion<string>().HasMaxLength(20);
            version.Property(v => v.Framework).HasColumnName("framework").HasMaxLength(60);
            version.Property(v => v.EstimatedMinutes).HasColumnName("estimated_minutes");
            version.Property(v => v.Tags).HasColumnName("tags");
            version.Property(v => v.FocusItems).HasColumnName("focus_items");
            version.Property(v => v.SearchText).HasColumnName("search_text");
            version.Property(v => v.Document).HasColumnName("document").HasColumnType("jsonb")
                .HasConversion(d => Serialize(d), json => Deserialize(json)!, documentComparer);
            version.Property(v => v.PublishedAt).HasColumnName("published_at");
            version.Property(v => v.PublishedBy).HasColumnName("published_by");

            // Ranked search: title weighs most, then summary and tags, then the rest of the public brief. The
            // configuration is named so the expression is immutable and can be stored.
            version.Property(v => v.SearchVector).HasColumnName("search_vector")
                .HasComputedColumnSql(
                    "setweight(to_tsvector('english'::regconfig, title), 'A') || " +
                    "setweight(to_tsvector('english'::regconfig, summary || ' ' || replace(slug, '-', ' ')), 'B') || " +
                    "setweight(to_tsvector('english'::regconfig, search_text), 'C')",
                    stored: true);
            version.HasIndex(v => v.SearchVector).HasMethod("GIN");
            version.HasIndex(v => v.Tags).HasMethod("GIN");
            version.HasIndex(v => new { v.IsLatest, v.InstitutionId });

            version.HasOne<Scenario>().WithMany().HasForeignKey(v => v.ScenarioId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<ScenarioRating>(rating =>
        {
            rating.ToTable("scenario_ratings");
            rating.HasKey(r => new { r.ScenarioId, r.UserId });
            rating.Property(r => r.ScenarioId).HasColumnName("scenario_id");
            rating.Property(r => r.UserId).HasColumnName("user_id");
            rating.Property(r => r.InstitutionId).HasColumnName("institution_id");
            rating.Property(r => r.Stars).HasColumnName("stars");
            rating.Property(r => r.RatedAt).HasColumnName("rated_at");
            rating.ToTable(t => t.HasCheckConstraint("ck_scenario_ratings_stars", "stars BETWEEN 1 AND 5"));
            rating.HasOne<Scenario>().WithMany().HasForeignKey(r => r.ScenarioId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<MediaFile>(media =>
        {
            media.ToTable("media_files");
            media.HasKey(m => m.Id);
            media.Property(m => m.Id).HasColumnName("id");
            media.Property(m => m.ScenarioId).HasColumnName("scenario_id");
            media.Property(m => m.InstitutionId).HasColumnName("institution_id");
            media.Property(m => m.AttachedTo).HasColumnName("attached_to").HasConversion<string>().HasMaxLength(20);
            media.Property(m => m.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(10);
            media.Property(m => m.ContentType).HasColumnName("content_type").HasMaxLength(40);
            media.Property(m => m.Length).HasColumnName("length");
            media.Property(m => m.Sha256).HasColumnName("sha256").HasMaxLength(64);
            media.Property(m => m.OriginalName).HasColumnName("original_name").HasMaxLength(200);
            media.Property(m => m.Description).HasColumnName("description").HasMaxLength(300);
            media.Property(m => m.StoragePath).HasColumnName("storage_path").HasMaxLength(200);
            media.Property(m => m.UploadedBy).HasColumnName("uploaded_by");
            media.Property(m => m.UploadedAt).HasColumnName("uploaded_at");
            media.HasIndex(m => m.ScenarioId);
            media.HasOne<Scenario>().WithMany().HasForeignKey(m => m.ScenarioId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.AddEventBusTables();
    }

    private static string Serialize(ScenarioDocument document) => JsonSerializer.Serialize(document, SeedLibrary.JsonOptions);

    private static ScenarioDocument? Deserialize(string json) => JsonSerializer.Deserialize<ScenarioDocument>(json, SeedLibrary.JsonOptions);
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class ContentDbContextDesignTimeFactory : IDesignTimeDbContextFactory<ContentDbContext>
{
    public ContentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ContentDbContext>().UseNpgsql("Host=localhost;Database=contentdb").Options);
}

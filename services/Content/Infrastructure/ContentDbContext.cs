using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.Content.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Content.Infrastructure;

public sealed class ContentDbContext(DbContextOptions<ContentDbContext> options) : DbContext(options)
{
    public DbSet<Scenario> Scenarios => Set<Scenario>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Scenario>(scenario =>
        {
            scenario.ToTable("scenarios");
            scenario.HasKey(s => s.Id);
            scenario.Property(s => s.Id).HasColumnName("id");
            scenario.Property(s => s.Title).HasColumnName("title").HasMaxLength(200);
            scenario.Property(s => s.Summary).HasColumnName("summary").HasMaxLength(2000);
            scenario.Property(s => s.ClinicalArea).HasColumnName("clinical_area").HasMaxLength(100);
            scenario.Property(s => s.Difficulty).HasColumnName("difficulty").HasConversion<string>().HasMaxLength(20);
            scenario.Property(s => s.Framework).HasColumnName("framework").HasMaxLength(100);
            scenario.Property(s => s.EstimatedMinutes).HasColumnName("estimated_minutes");
            scenario.Property(s => s.Version).HasColumnName("version");
            scenario.Property(s => s.PublishedAt).HasColumnName("published_at");
        });

        modelBuilder.AddEventBusTables();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class ContentDbContextDesignTimeFactory : IDesignTimeDbContextFactory<ContentDbContext>
{
    public ContentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ContentDbContext>().UseNpgsql("Host=localhost;Database=contentdb").Options);
}

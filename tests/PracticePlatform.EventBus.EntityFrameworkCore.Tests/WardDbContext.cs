using Microsoft.EntityFrameworkCore;

namespace PracticePlatform.EventBus.EntityFrameworkCore.Tests;

public sealed record PatientAdmitted(Guid AdmissionId, string Ward) : IntegrationEvent;

/// <summary>The publisher's state change.</summary>
public sealed class Admission
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Ward { get; init; }
}

/// <summary>The consumer's effect. Deliberately no unique index on the event id: only the inbox stands between a
/// redelivery and a second row.</summary>
public sealed class BedAssignment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid AdmissionId { get; init; }

    public Guid EventId { get; init; }

    public required string Handler { get; init; }
}

public sealed class WardDbContext(DbContextOptions<WardDbContext> options) : DbContext(options)
{
    public DbSet<Admission> Admissions => Set<Admission>();

    public DbSet<BedAssignment> BedAssignments => Set<BedAssignment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Admission>().ToTable("admissions");
        modelBuilder.Entity<BedAssignment>().ToTable("bed_assignments");
        modelBuilder.AddEventBusTables();
    }
}

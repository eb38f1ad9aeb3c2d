using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure;

public sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options)
{
    public DbSet<Institution> Institutions => Set<Institution>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Institution>(institution =>
        {
            institution.ToTable("institutions");
            institution.HasKey(i => i.Id);
            institution.Property(i => i.Id).HasColumnName("id");
            institution.Property(i => i.Name).HasColumnName("name").HasMaxLength(200);
            institution.Property(i => i.JoinCode).HasColumnName("join_code").HasMaxLength(32);
            institution.Property(i => i.CreatedAt).HasColumnName("created_at");
            institution.HasIndex(i => i.JoinCode).IsUnique();
        });

        modelBuilder.AddEventBusTables();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class UsersDbContextDesignTimeFactory : IDesignTimeDbContextFactory<UsersDbContext>
{
    public UsersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<UsersDbContext>().UseNpgsql("Host=localhost;Database=usersdb").Options);
}

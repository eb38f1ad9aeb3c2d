using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.Billing.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Billing.Infrastructure;

public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    public DbSet<Plan> Plans => Set<Plan>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Plan>(plan =>
        {
            plan.ToTable("plans");
            plan.HasKey(p => p.Id);
            plan.Property(p => p.Id).HasColumnName("id");
            plan.Property(p => p.Code).HasColumnName("code").HasMaxLength(64);
            plan.Property(p => p.Name).HasColumnName("name").HasMaxLength(200);
            plan.Property(p => p.Audience).HasColumnName("audience").HasConversion<string>().HasMaxLength(20);
            plan.Property(p => p.PriceMinor).HasColumnName("price_minor");
            plan.Property(p => p.Currency).HasColumnName("currency").HasMaxLength(3).IsFixedLength();
            plan.Property(p => p.BillingInterval).HasColumnName("billing_interval").HasMaxLength(20);
            plan.Property(p => p.MonthlySessionAllowance).HasColumnName("monthly_session_allowance");
            plan.Property(p => p.PricedPerSeat).HasColumnName("priced_per_seat");
            plan.Property(p => p.IsActive).HasColumnName("is_active");
            plan.HasIndex(p => p.Code).IsUnique();
        });

        modelBuilder.AddEventBusTables();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class BillingDbContextDesignTimeFactory : IDesignTimeDbContextFactory<BillingDbContext>
{
    public BillingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BillingDbContext>().UseNpgsql("Host=localhost;Database=billingdb").Options);
}

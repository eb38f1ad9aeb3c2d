using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.Billing.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Billing.Infrastructure;

public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<SeatAssignment> SeatAssignments => Set<SeatAssignment>();

    public DbSet<FreeTierGrant> FreeTierGrants => Set<FreeTierGrant>();

    public DbSet<SessionStart> SessionStarts => Set<SessionStart>();

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<InvoiceLine> InvoiceLines => Set<InvoiceLine>();

    public DbSet<InvoiceNumberCounter> InvoiceNumberCounters => Set<InvoiceNumberCounter>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<PaymentMethod> PaymentMethods => Set<PaymentMethod>();

    public DbSet<ProcessedProviderEvent> ProcessedProviderEvents => Set<ProcessedProviderEvent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name, readable in SQL and stable when members are added.
        configurationBuilder.Properties<SubscriberKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<SubscriptionStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<EntitlementSource>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<UsageKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<InvoiceStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<InvoiceLineKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PaymentStatus>().HaveConversion<string>().HaveMaxLength(20);
    }

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

        modelBuilder.Entity<Subscription>(subscription =>
        {
            subscription.ToTable("subscriptions");
            subscription.HasKey(s => s.Id);
            subscription.HasOne(s => s.Plan).WithMany().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Restrict);
            subscription.Property(s => s.PaymentProvider).HasMaxLength(64);
            // One live subscription per learner and per institution; an expired one is history.
            subscription.HasIndex(s => s.UserId).IsUnique().HasFilter("subscriber_kind = 'User' AND status <> 'Expired'")
                .HasDatabaseName("ix_subscriptions_live_per_user");
            subscription.HasIndex(s => s.InstitutionId).IsUnique().HasFilter("subscriber_kind = 'Institution' AND status <> 'Expired'")
                .HasDatabaseName("ix_subscriptions_live_per_institution");
            subscription.HasIndex(s => new { s.Status, s.CurrentPeriodEnd });
        });

        modelBuilder.Entity<SeatAssignment>(seat =>
        {
            seat.ToTable("seat_assignments");
            seat.HasKey(s => s.Id);
            seat.HasOne<Subscription>().WithMany().HasForeignKey(s => s.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            seat.HasIndex(s => new { s.SubscriptionId, s.UserId }).IsUnique();
            seat.HasIndex(s => new { s.InstitutionId, s.UserId });
        });

        modelBuilder.Entity<FreeTierGrant>(grant =>
        {
            grant.ToTable("free_tier_grants");
            grant.HasKey(g => g.UserId);
        });

        modelBuilder.Entity<SessionStart>(start =>
        {
            start.ToTable("session_starts");
            start.HasKey(s => s.SessionId);
            start.HasIndex(s => new { s.LearnerId, s.StartedAt });
        });

        modelBuilder.Entity<UsageRecord>(usage =>
        {
            usage.ToTable("usage_records");
            usage.HasKey(u => u.Id);
            usage.Property(u => u.SourceKey).HasMaxLength(100);
            usage.Property(u => u.Model).HasMaxLength(200);
            usage.Property(u => u.Minutes).HasPrecision(12, 2);
            usage.Property(u => u.Cost).HasPrecision(18, 6);
            usage.HasIndex(u => u.SourceKey).IsUnique();
            usage.HasIndex(u => new { u.SubscriptionId, u.PeriodStart });
            usage.HasIndex(u => new { u.LearnerId, u.PeriodStart });
            usage.HasIndex(u => new { u.InstitutionId, u.PeriodStart });
        });

        modelBuilder.Entity<Invoice>(invoice =>
        {
            invoice.ToTable("invoices");
            invoice.HasKey(i => i.Id);
            invoice.Property(i => i.Number).HasMaxLength(32);
            invoice.Property(i => i.Currency).HasMaxLength(3).IsFixedLength();
            invoice.Property(i => i.TaxRatePercent).HasPrecision(7, 4);
            invoice.HasIndex(i => i.Number).IsUnique();
            invoice.HasIndex(i => new { i.SubscriptionId, i.Status });
            invoice.HasIndex(i => new { i.InstitutionId, i.CreatedAt });
            invoice.HasIndex(i => new { i.UserId, i.CreatedAt });
            invoice.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
            invoice.Navigation(i => i.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
            invoice.HasOne<Subscription>().WithMany().HasForeignKey(i => i.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<InvoiceLine>(line =>
        {
            line.ToTable("invoice_lines");
            line.HasKey(l => l.Id);
            line.Property(l => l.Description).HasMaxLength(400);
        });

        modelBuilder.Entity<InvoiceNumberCounter>(counter =>
        {
            counter.ToTable("invoice_number_counters");
            counter.HasKey(c => c.Year);
            counter.Property(c => c.Year).ValueGeneratedNever();
        });

        modelBuilder.Entity<Payment>(payment =>
        {
            payment.ToTable("payments");
            payment.HasKey(p => p.Id);
            payment.Property(p => p.Provider).HasMaxLength(64);
            payment.Property(p => p.ProviderPaymentId).HasMaxLength(200);
            payment.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
            payment.Property(p => p.Detail).HasMaxLength(400);
            payment.HasOne<Invoice>().WithMany().HasForeignKey(p => p.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PaymentMethod>(method =>
        {
            method.ToTable("payment_methods");
            method.HasKey(m => m.Id);
            method.Property(m => m.Provider).HasMaxLength(64);
            method.Property(m => m.ProviderCustomerId).HasMaxLength(200);
            method.Property(m => m.ProviderPaymentMethodId).HasMaxLength(200);
            method.Property(m => m.ProviderBillingAddressId).HasMaxLength(200);
            method.Property(m => m.Brand).HasMaxLength(32);
            method.Property(m => m.Last4).HasMaxLength(4);
            method.HasIndex(m => m.UserId);
            method.HasIndex(m => m.InstitutionId);
        });

        modelBuilder.Entity<ProcessedProviderEvent>(processed =>
        {
            processed.ToTable("processed_provider_events");
            processed.HasKey(e => new { e.Provider, e.EventId });
            processed.Property(e => e.Provider).HasMaxLength(64);
            processed.Property(e => e.EventId).HasMaxLength(200);
            processed.Property(e => e.Type).HasMaxLength(100);
            processed.Property(e => e.Outcome).HasMaxLength(200);
        });

        UseSnakeCaseColumns(modelBuilder);
        modelBuilder.AddEventBusTables();
    }

    /// <summary>Billing's own tables name their columns in snake_case, like the plans table spells out by hand.</summary>
    private static void UseSnakeCaseColumns(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>Lets `dotnet ef` build the model without starting the service.</summary>
public sealed class BillingDbContextDesignTimeFactory : IDesignTimeDbContextFactory<BillingDbContext>
{
    public BillingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BillingDbContext>().UseNpgsql("Host=localhost;Database=billingdb").Options);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure;

public sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options)
{
    public DbSet<Institution> Institutions => Set<Institution>();

    public DbSet<Cohort> Cohorts => Set<Cohort>();

    public DbSet<CohortEducator> CohortEducators => Set<CohortEducator>();

    public DbSet<User> Users => Set<User>();

    public DbSet<LoginSession> LoginSessions => Set<LoginSession>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<UserToken> UserTokens => Set<UserToken>();

    public DbSet<OutgoingMail> OutgoingMail => Set<OutgoingMail>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

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

        modelBuilder.Entity<Cohort>(cohort =>
        {
            cohort.ToTable("cohorts");
            cohort.HasKey(c => c.Id);
            cohort.Property(c => c.Id).HasColumnName("id");
            cohort.Property(c => c.InstitutionId).HasColumnName("institution_id");
            cohort.Property(c => c.Name).HasColumnName("name").HasMaxLength(200);
            cohort.Property(c => c.CreatedAt).HasColumnName("created_at");
            cohort.HasOne<Institution>().WithMany().HasForeignKey(c => c.InstitutionId).OnDelete(DeleteBehavior.Restrict);
            cohort.HasIndex(c => new { c.InstitutionId, c.Name }).IsUnique();
            cohort.Property(c => c.JoinCode).HasColumnName("join_code").HasMaxLength(32);
            cohort.HasIndex(c => c.JoinCode).IsUnique();
        });

        modelBuilder.Entity<CohortEducator>(teaching =>
        {
            teaching.ToTable("cohort_educators");
            teaching.HasKey(t => new { t.CohortId, t.UserId });
            teaching.Property(t => t.CohortId).HasColumnName("cohort_id");
            teaching.Property(t => t.UserId).HasColumnName("user_id");
            teaching.Property(t => t.AssignedBy).HasColumnName("assigned_by");
            teaching.Property(t => t.AssignedAt).HasColumnName("assigned_at");
            teaching.HasOne<Cohort>().WithMany().HasForeignKey(t => t.CohortId).OnDelete(DeleteBehavior.Cascade);
            teaching.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);

            // Token issuance reads a user's cohorts.
            teaching.HasIndex(t => t.UserId);
        });

        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasColumnName("id");
            user.Property(u => u.InstitutionId).HasColumnName("institution_id");
            user.Property(u => u.CohortId).HasColumnName("cohort_id");
            user.Property(u => u.Email).HasColumnName("email").HasMaxLength(254);
            user.Property(u => u.NormalizedEmail).HasColumnName("normalized_email").HasMaxLength(254);
            user.Property(u => u.DisplayName).HasColumnName("display_name").HasMaxLength(100);
            user.Property(u => u.PasswordHash).HasColumnName("password_hash").HasMaxLength(200);
            user.Property(u => u.Roles).HasColumnName("roles");
            user.Property(u => u.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            user.Property(u => u.EmailVerifiedAt).HasColumnName("email_verified_at");
            user.Property(u => u.CreatedAt).HasColumnName("created_at");
            user.Property(u => u.LastLoginAt).HasColumnName("last_login_at");
            user.OwnsOne(u => u.Preferences, preferences => preferences.ToJson("preferences"));
            user.HasIndex(u => u.NormalizedEmail).IsUnique();
            user.HasIndex(u => u.InstitutionId);
            user.HasOne<Institution>().WithMany().HasForeignKey(u => u.InstitutionId).OnDelete(DeleteBehavior.Restrict);
            user.HasOne<Cohort>().WithMany().HasForeignKey(u => u.CohortId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<LoginSession>(session =>
        {
            session.ToTable("login_sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasColumnName("id");
            session.Property(s => s.UserId).HasColumnName("user_id");
            session.Property(s => s.InstitutionId).HasColumnName("institution_id");
            session.Property(s => s.UserAgent).HasColumnName("user_agent").HasMaxLength(512);
            session.Property(s => s.IpAddress).HasColumnName("ip_address").HasMaxLength(64);
            session.Property(s => s.CreatedAt).HasColumnName("created_at");
            session.Property(s => s.LastSeenAt).HasColumnName("last_seen_at");
            session.Property(s => s.ExpiresAt).HasColumnName("expires_at");
            session.Property(s => s.RevokedAt).HasColumnName("revoked_at");
            session.Property(s => s.RevokedReason).HasColumnName("revoked_reason").HasMaxLength(100);
            session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            session.HasIndex(s => s.UserId);
        });

        modelBuilder.Entity<RefreshToken>(token =>
        {
            token.ToTable("refresh_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasColumnName("id");
            token.Property(t => t.SessionId).HasColumnName("session_id");
            token.Property(t => t.TokenHash).HasColumnName("token_hash").HasMaxLength(64);
            token.Property(t => t.CreatedAt).HasColumnName("created_at");
            token.Property(t => t.ExpiresAt).HasColumnName("expires_at");
            token.Property(t => t.UsedAt).HasColumnName("used_at");
            token.HasOne<LoginSession>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
            token.HasIndex(t => t.TokenHash).IsUnique();
        });

        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            audit.Property(a => a.InstitutionId).HasColumnName("institution_id");
            audit.Property(a => a.ActorId).HasColumnName("actor_id");
            audit.Property(a => a.SubjectId).HasColumnName("subject_id");
            audit.Property(a => a.Type).HasColumnName("type").HasMaxLength(64);
            audit.Property(a => a.Outcome).HasColumnName("outcome").HasConversion<string>().HasMaxLength(16);
            audit.Property(a => a.IpAddress).HasColumnName("ip_address").HasMaxLength(64);
            audit.Property(a => a.UserAgent).HasColumnName("user_agent").HasMaxLength(512);
            audit.Property(a => a.Detail).HasColumnName("detail").HasMaxLength(1000);
            audit.Property(a => a.OccurredAt).HasColumnName("occurred_at");
            audit.HasIndex(a => new { a.InstitutionId, a.OccurredAt });
        });

        modelBuilder.Entity<SigningKey>(key =>
        {
            key.ToTable("signing_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasColumnName("id").HasMaxLength(64);
            key.Property(k => k.PublicKey).HasColumnName("public_key");
            key.Property(k => k.EncryptedPrivateKey).HasColumnName("encrypted_private_key");
            key.Property(k => k.CreatedAt).HasColumnName("created_at");
            key.Property(k => k.ActivatesAt).HasColumnName("activates_at");
            key.Property(k => k.RetiresAt).HasColumnName("retires_at");
        });

        modelBuilder.Entity<UserToken>(token =>
        {
            token.ToTable("user_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasColumnName("id");
            token.Property(t => t.UserId).HasColumnName("user_id");
            token.Property(t => t.Purpose).HasColumnName("purpose").HasConversion<string>().HasMaxLength(32);
            token.Property(t => t.TokenHash).HasColumnName("token_hash").HasMaxLength(64);
            token.Property(t => t.CreatedAt).HasColumnName("created_at");
            token.Property(t => t.ExpiresAt).HasColumnName("expires_at");
            token.Property(t => t.UsedAt).HasColumnName("used_at");
            token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            token.HasIndex(t => t.TokenHash).IsUnique();
        });

        modelBuilder.Entity<OutgoingMail>(mail =>
        {
            mail.ToTable("outgoing_mail");
            mail.HasKey(m => m.Id);
            mail.Property(m => m.Id).HasColumnName("id");
            mail.Property(m => m.To).HasColumnName("to_address").HasMaxLength(254);
            mail.Property(m => m.Subject).HasColumnName("subject").HasMaxLength(200);
            mail.Property(m => m.TextBody).HasColumnName("text_body").HasMaxLength(10000);
            mail.Property(m => m.Kind).HasColumnName("kind").HasMaxLength(50);
            mail.Property(m => m.CreatedAt).HasColumnName("created_at");
            mail.Property(m => m.SentAt).HasColumnName("sent_at");
        });

        modelBuilder.Entity<Invitation>(invitation =>
        {
            invitation.ToTable("invitations");
            invitation.HasKey(i => i.Id);
            invitation.Property(i => i.Id).HasColumnName("id");
            invitation.Property(i => i.InstitutionId).HasColumnName("institution_id");
            invitation.Property(i => i.Email).HasColumnName("email").HasMaxLength(254);
            invitation.Property(i => i.NormalizedEmail).HasColumnName("normalized_email").HasMaxLength(254);
            invitation.Property(i => i.Role).HasColumnName("role").HasMaxLength(32);
            invitation.Property(i => i.CohortId).HasColumnName("cohort_id");
            invitation.Property(i => i.TokenHash).HasColumnName("token_hash").HasMaxLength(64);
            invitation.Property(i => i.InvitedBy).HasColumnName("invited_by");
            invitation.Property(i => i.CreatedAt).HasColumnName("created_at");
            invitation.Property(i => i.ExpiresAt).HasColumnName("expires_at");
            invitation.Property(i => i.AcceptedAt).HasColumnName("accepted_at");
            invitation.HasOne<Institution>().WithMany().HasForeignKey(i => i.InstitutionId).OnDelete(DeleteBehavior.Cascade);
            invitation.HasIndex(i => i.TokenHash).IsUnique();
            invitation.HasIndex(i => i.InstitutionId);
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

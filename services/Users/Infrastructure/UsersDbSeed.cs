using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure;

/// <summary>Development data: the demo institution (join code DEMO), its cohort (join code DEMO-COHORT, taught by the
/// demo educator) and the accounts the README's walkthrough uses. Idempotent: each row is added only when missing.</summary>
public static class UsersDbSeed
{
    public const string DemoJoinCode = "DEMO";

    public const string DemoCohortJoinCode = "DEMO-COHORT";

    private const string DemoEducatorEmail = "educator@demo.practiceplatform.test";

    /// <summary>The demo accounts (e-mail, password, display name, roles); the README lists them.</summary>
    public static readonly IReadOnlyList<(string Email, string Password, string DisplayName, string[] Roles, bool InDemoInstitution)> DemoAccounts =
    [
        (DemoEducatorEmail, "bedside-manner-2026", "Dr Demo Educator", [PlatformRoles.Educator], true),
        ("admin@demo.practiceplatform.test", "ward-round-rota-2026", "Demo Institution Admin", [PlatformRoles.InstitutionAdmin], true),
        ("platform-admin@practiceplatform.test", "triage-desk-rota-2026", "Platform Admin", [PlatformRoles.PlatformAdmin], false),
    ];

    public static async Task SeedAsync(UsersDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return;
        }

        var demo = await db.Institutions.FirstOrDefaultAsync(i => i.JoinCode == DemoJoinCode, cancellationToken);
        if (demo is null)
        {
            demo = new Institution { Name = "Demo Medical School", JoinCode = DemoJoinCode };
            db.Institutions.Add(demo);
        }

        var hasher = services.GetRequiredService<IPasswordHasher<User>>();
        foreach (var (email, password, displayName, roles, inDemo) in DemoAccounts)
        {
            var normalized = User.Normalize(email);
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            {
                continue;
            }

            var user = new User
            {
                InstitutionId = inDemo ? demo.Id : null,
                Email = email,
                NormalizedEmail = normalized,
                DisplayName = displayName,
                PasswordHash = string.Empty,
                Roles = [.. roles],
                EmailVerifiedAt = DateTimeOffset.UtcNow,
            };
            user.PasswordHash = hasher.HashPassword(user, password);
            db.Users.Add(user);
        }

        var cohort = await db.Cohorts.FirstOrDefaultAsync(c => c.JoinCode == DemoCohortJoinCode, cancellationToken);
        if (cohort is null)
        {
            cohort = new Cohort { InstitutionId = demo.Id, Name = "Demo cohort", JoinCode = DemoCohortJoinCode };
            db.Cohorts.Add(cohort);
        }

        await db.SaveChangesAsync(cancellationToken);

        var educator = await db.Users.FirstAsync(u => u.NormalizedEmail == User.Normalize(DemoEducatorEmail), cancellationToken);
        if (!await db.CohortEducators.AnyAsync(t => t.CohortId == cohort.Id && t.UserId == educator.Id, cancellationToken))
        {
            db.CohortEducators.Add(new CohortEducator { CohortId = cohort.Id, UserId = educator.Id });
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure;

/// <summary>Development data: the demo institution (join code DEMO) that the README's walkthrough uses.</summary>
public static class UsersDbSeed
{
    public const string DemoJoinCode = "DEMO";

    public static async Task SeedAsync(UsersDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return;
        }

        if (!await db.Institutions.AnyAsync(i => i.JoinCode == DemoJoinCode, cancellationToken))
        {
            db.Institutions.Add(new Institution { Name = "Demo Medical School", JoinCode = DemoJoinCode });
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.Content.Model;

namespace PracticePlatform.Content.Infrastructure;

/// <summary>
/// The platform's own scenarios, present in every environment. Their ids never change, so tests, demos and
/// links can name them.
/// </summary>
public static class ContentDbSeed
{
    public static readonly Guid ChestPainPrimaryCareId = new("0199c0de-5ce0-7000-8000-000000000001");
    public static readonly Guid BreakingBadNewsSpikesId = new("0199c0de-5ce0-7000-8000-000000000002");
    public static readonly Guid SmokingCessationMotivationalInterviewingId = new("0199c0de-5ce0-7000-8000-000000000003");

    private static readonly DateTimeOffset FirstPublished = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task SeedAsync(ContentDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        var platformScenarios = PlatformScenarios();
        var ids = platformScenarios.Select(s => s.Id).ToList();
        var present = await db.Scenarios.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);

        var missing = platformScenarios.Where(s => !present.Contains(s.Id)).ToList();
        if (missing.Count > 0)
        {
            db.Scenarios.AddRange(missing);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static List<Scenario> PlatformScenarios() =>
    [
        new()
        {
            Id = ChestPainPrimaryCareId,
            Title = "Chest pain in primary care",
            Summary = "Mr David Okafor, 58, books an urgent GP appointment with two days of central chest tightness that " +
                      "comes on when he climbs the stairs. Take a focused history, explore his ideas, concerns and " +
                      "expectations, and explain why he needs same-day assessment at hospital.",
            ClinicalArea = "Primary care",
            Difficulty = Difficulty.Intermediate,
            Framework = "Calgary-Cambridge",
            EstimatedMinutes = 15,
            PublishedAt = FirstPublished,
        },
        new()
        {
            Id = BreakingBadNewsSpikesId,
            Title = "Breaking bad news: a new cancer diagnosis",
            Summary = "Mrs Anita Patel, 64, returns to clinic with her daughter for the results of her CT scan, which shows " +
                      "a pancreatic mass with liver metastases. Share the diagnosis, respond to emotion and agree the " +
                      "next steps together.",
            ClinicalArea = "Oncology",
            Difficulty = Difficulty.Advanced,
            Framework = "SPIKES",
            EstimatedMinutes = 20,
            PublishedAt = FirstPublished,
        },
        new()
        {
            Id = SmokingCessationMotivationalInterviewingId,
            Title = "Smoking cessation at an asthma review",
            Summary = "Jamie Reid, 34, smokes twenty a day and has come for a routine asthma review. Explore Jamie's " +
                      "ambivalence about stopping without lecturing, and let Jamie decide what happens next.",
            ClinicalArea = "Primary care",
            Difficulty = Difficulty.Foundation,
            Framework = "Motivational interviewing",
            EstimatedMinutes = 15,
            PublishedAt = FirstPublished,
        },
    ];
}

using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.Content.Model;

namespace PracticePlatform.Content.Infrastructure;

/// <summary>The "Content:SeedLibrary" section.</summary>
public sealed class SeedLibraryOptions
{
    public const string SectionName = "Content:SeedLibrary";

    /// <summary>Publish the seed library at start-up (on in Development, which is how ./run.sh runs).</summary>
    public bool Load { get; set; }
}

/// <summary>
/// Publishes the seed library as platform-wide scenarios, idempotently: a scenario missing from the database is
/// created and published as version 1; one whose seed file changed since it was last loaded gets a new version; an
/// unchanged one is left alone, whatever else happened to it since. Replicas starting together take turns (an
/// advisory lock), so each scenario is published once.
/// </summary>
public static partial class SeedLibraryLoader
{
    private const long AdvisoryLockKey = 0x5EED_C0DE_5CE0;

    public static async Task LoadAsync(ContentDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<SeedLibraryOptions>>().Value.Load)
        {
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SeedLibraryLoader));
        var publishing = services.GetRequiredService<ScenarioPublishing>();
        var documents = SeedLibrary.Load();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);

        var ids = documents.Select(d => IdFor(d.Slug)).ToList();
        var existing = await db.Scenarios.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        int created = 0, updated = 0;
        foreach (var document in documents)
        {
            var hash = HashOf(document);
            if (!existing.TryGetValue(IdFor(document.Slug), out var scenario))
            {
                scenario = new Scenario { Id = IdFor(document.Slug), Slug = document.Slug, SeedHash = hash };
                db.Scenarios.Add(scenario);
                await publishing.StageAsync(scenario, document, publishedBy: null, cancellationToken);
                created++;
            }
            else if (scenario.SeedHash != hash)
            {
                // A new release changed the file: publish it, keeping any draft a platform admin has in progress.
                var draft = (scenario.Draft, scenario.DraftUpdatedAt, scenario.DraftUpdatedBy);
                await publishing.StageAsync(scenario, document, publishedBy: null, cancellationToken);
                (scenario.Draft, scenario.DraftUpdatedAt, scenario.DraftUpdatedBy) = draft;
                scenario.SeedHash = hash;
                updated++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogLoaded(logger, documents.Count, created, updated);
    }

    /// <summary>The fixed id of a seed scenario, derived from its slug, so links, tests and demos can name it in every
    /// environment.</summary>
    public static Guid IdFor(string slug)
    {
        Span<byte> bytes = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"practiceplatform/seed-scenario/{slug}"), bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: a name-based id of our own
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes[..16], bigEndian: true);
    }

    private static string HashOf(ScenarioDocument document) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document, SeedLibrary.JsonOptions)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed library: {Count} scenarios, {Created} published for the first time, {Updated} updated")]
    private static partial void LogLoaded(ILogger logger, int count, int created, int updated);
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.Content.IntegrationEvents.Events;
using PracticePlatform.Content.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Content.Infrastructure;

/// <summary>
/// Freezes a document into the next immutable version of a scenario and announces it (ScenarioPublished, through
/// the outbox, in the same transaction). Two concurrent publishes of one scenario cannot both win: the scenario's
/// latest version number is a concurrency token and (scenario, version) is the versions' key.
/// </summary>
public sealed class ScenarioPublishing(ContentDbContext db, IEventOutbox outbox, TimeProvider time)
{
    /// <summary>Adds the version to the context; the caller saves (so it can change more in the same transaction).</summary>
    public async Task<ScenarioVersion> StageAsync(Scenario scenario, ScenarioDocument document, Guid? publishedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(document);
        if (scenario.LatestVersion > 0)
        {
            var previous = await db.ScenarioVersions
                .SingleOrDefaultAsync(v => v.ScenarioId == scenario.Id && v.Version == scenario.LatestVersion, cancellationToken);
            if (previous is not null)
            {
                previous.IsLatest = false;
            }
        }

        var version = ScenarioVersion.Freeze(scenario, document, scenario.LatestVersion + 1, publishedBy, time.GetUtcNow());
        scenario.LatestVersion = version.Version;
        scenario.Draft = null;
        scenario.DraftUpdatedAt = null;
        scenario.DraftUpdatedBy = null;
        db.ScenarioVersions.Add(version);
        outbox.Add(new ScenarioPublished(scenario.Id, version.Version, scenario.InstitutionId, scenario.Slug, version.Title, version.PublishedAt, document));
        return version;
    }
}

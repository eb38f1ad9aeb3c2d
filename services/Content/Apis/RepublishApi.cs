using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.IntegrationEvents.Events;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Announces published versions again (ScenarioPublished, through the outbox): for a service that keeps its own copy
/// of every version (ai) and lost it or started after the events were trimmed. Receivers keep one copy per version,
/// so announcing twice changes nothing. Platform admins only.
/// </summary>
public static class RepublishApi
{
    private const int BatchSize = 100;

    public static IEndpointRouteBuilder MapRepublishApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/content/admin/scenarios/republish", Republish)
            .WithTags("Administration")
            .WithName("RepublishScenarioVersions")
            .WithSummary("Announce every published version again (or one scenario's, ?scenarioId=), for services that keep copies.")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<Ok<RepublishResult>> Republish(
        [FromServices] ContentDbContext db, [FromServices] IEventOutbox outbox, CancellationToken cancellationToken, Guid? scenarioId = null)
    {
        var announced = 0;
        while (true)
        {
            // Pages, each saved with its events, so a large library never sits in memory at once. (A version published
            // meanwhile may shift a page and be announced twice: receivers keep one copy.)
            var page = await db.ScenarioVersions.AsNoTracking()
                .Where(v => scenarioId == null || v.ScenarioId == scenarioId)
                .OrderBy(v => v.PublishedAt).ThenBy(v => v.ScenarioId).ThenBy(v => v.Version)
                .Skip(announced)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return TypedResults.Ok(new RepublishResult(announced));
            }

            foreach (var version in page)
            {
                outbox.Add(new ScenarioPublished(version.ScenarioId, version.Version, version.InstitutionId, version.Slug, version.Title, version.PublishedAt, version.Document));
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            announced += page.Count;
        }
    }
}

public sealed record RepublishResult(int Announced);

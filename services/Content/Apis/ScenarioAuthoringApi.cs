using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Infrastructure.Media;
using PracticePlatform.Content.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Authoring: educators of an institution write drafts of its scenarios and publish them as immutable, numbered
/// versions; platform admins do the same for platform-wide scenarios. A scenario travels whole (persona, flow,
/// rubric) as one JSON document, the format of the seed library, in and out.
/// </summary>
public static class ScenarioAuthoringApi
{
    /// <summary>A scenario document is a few kilobytes; this is far beyond any real one.</summary>
    public const int MaxDocumentBytes = 256 * 1024;

    public static RouteGroupBuilder MapScenarioAuthoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/content/scenarios").WithTags("Scenario authoring")
            .RequireAuthorization(PlatformPolicies.Educator)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/", CreateScenario)
            .WithName("CreateScenario")
            .WithSummary("Create a scenario from a whole scenario document; it starts as a draft of the caller's institution (?scope=platform: platform-wide, platform admins only).")
            .Accepts<ScenarioDocument>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapPost("/import", CreateScenario)
            .WithName("ImportScenario")
            .WithSummary("Import an exported scenario document as a new draft (the same as creating one).")
            .Accepts<ScenarioDocument>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/drafts", ListDrafts)
            .WithName("ListScenarioDrafts")
            .WithSummary("The scenarios the caller may author that have a draft in progress or were never published.");

        api.MapGet("/{id:guid}/draft", GetDraft)
            .WithName("GetScenarioDraft")
            .WithSummary("The draft in progress, with its ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/{id:guid}/draft", SaveDraft)
            .WithName("SaveScenarioDraft")
            .WithSummary("Save the draft (the whole document). Editing a published scenario starts a new draft; send If-Match with the draft's ETag to avoid overwriting someone else's edit.")
            .Accepts<ScenarioDocument>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapDelete("/{id:guid}/draft", DiscardDraft)
            .WithName("DiscardScenarioDraft")
            .WithSummary("Discard the draft; a scenario that was never published goes with it.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id:guid}/publish", Publish)
            .WithName("PublishScenario")
            .WithSummary("Freeze the draft as the next immutable version and announce it (ScenarioPublished).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/{id:guid}/export", Export)
            .WithName("ExportScenario")
            .WithSummary("A published version (the latest, or ?version=) as one importable JSON document, hidden facts included: staff only.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<ScenarioDraftView>, ValidationProblem, ProblemHttpResult>> CreateScenario(
        HttpContext http, [AsParameters] ContentServices services, CancellationToken cancellationToken, string? scope = null)
    {
        var user = services.User;
        Guid? institutionId;
        switch (scope?.Trim().ToLowerInvariant())
        {
            case null or "" or "institution" when user.InstitutionId is { } own:
                institutionId = own;
                break;
            case null or "" or "platform" when user.IsPlatformAdmin:
                institutionId = null;
                break;
            case "platform":
                return TypedResults.Problem("Only platform admins create platform-wide scenarios.", statusCode: StatusCodes.Status403Forbidden);
            case "institution":
                return TypedResults.Problem("You are not signed in to an institution; create a platform-wide scenario (?scope=platform).", statusCode: StatusCodes.Status400BadRequest);
            default:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(scope)] = ["The scope is institution or platform."] });
        }

        var (document, invalid) = await ReadDocumentAsync(http.Request, cancellationToken);
        if (document is null)
        {
            return invalid!;
        }

        var db = services.Db;
        var existing = await db.Scenarios.AsNoTracking()
            .Where(s => s.InstitutionId == institutionId && s.Slug == document.Slug)
            .Select(s => (Guid?)s.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is { } existingId)
        {
            return SlugTaken(document.Slug, existingId);
        }

        var now = services.Time.GetUtcNow();
        var scenario = new Scenario
        {
            InstitutionId = institutionId,
            Slug = document.Slug,
            Draft = document,
            DraftRevision = 1,
            DraftUpdatedAt = now,
            DraftUpdatedBy = user.Id,
            CreatedAt = now,
            CreatedBy = user.Id,
        };
        db.Scenarios.Add(scenario);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return SlugTaken(document.Slug, id: null);
        }

        var view = ScenarioDraftView.From(scenario);
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Created($"/v1/content/scenarios/{scenario.Id}/draft", view);
    }

    public static async Task<Ok<List<ScenarioDraftView>>> ListDrafts([AsParameters] ContentServices services, CancellationToken cancellationToken)
    {
        var user = services.User;
        var scenarios = services.Db.Scenarios.AsNoTracking().Where(s => s.Draft != null);
        if (!user.IsPlatformAdmin)
        {
            var institutionId = user.InstitutionId;
            scenarios = scenarios.Where(s => s.InstitutionId != null && s.InstitutionId == institutionId);
        }

        var drafts = await scenarios.OrderByDescending(s => s.DraftUpdatedAt).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(drafts.Select(ScenarioDraftView.From).ToList());
    }

    public static async Task<Results<Ok<ScenarioDraftView>, ProblemHttpResult>> GetDraft(
        Guid id, HttpContext http, [AsParameters] ContentServices services, CancellationToken cancellationToken)
    {
        var (scenario, problem) = await FindAuthoredAsync(services, id, cancellationToken);
        if (scenario is null)
        {
            return problem!;
        }

        if (scenario.Draft is null)
        {
            return TypedResults.Problem(
                $"Scenario '{id}' has no draft: its version {scenario.LatestVersion} is published. PUT a draft to start editing.",
                statusCode: StatusCodes.Status404NotFound);
        }

        var view = ScenarioDraftView.From(scenario);
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<ScenarioDraftView>, ValidationProblem, ProblemHttpResult>> SaveDraft(
        Guid id, HttpContext http, [AsParameters] ContentServices services, CancellationToken cancellationToken)
    {
        var (scenario, problem) = await FindAuthoredAsync(services, id, cancellationToken, track: true);
        if (scenario is null)
        {
            return problem!;
        }

        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && (scenario.Draft is null || ifMatch != $"\"{scenario.DraftRevision}\""))
        {
            return DraftChanged(id);
        }

        var (document, invalid) = await ReadDocumentAsync(http.Request, cancellationToken);
        if (document is null)
        {
            return invalid!;
        }

        if (document.Slug != scenario.Slug)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["slug"] = [$"A scenario keeps its slug: this one is '{scenario.Slug}'."],
            });
        }

        scenario.Draft = document;
        scenario.DraftRevision++;
        scenario.DraftUpdatedAt = services.Time.GetUtcNow();
        scenario.DraftUpdatedBy = services.User.Id;
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return DraftChanged(id);
        }

        var view = ScenarioDraftView.From(scenario);
        http.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DiscardDraft(
        Guid id, [AsParameters] ContentServices services, [FromServices] MediaStore media, CancellationToken cancellationToken)
    {
        var (scenario, problem) = await FindAuthoredAsync(services, id, cancellationToken, track: true);
        if (scenario is null)
        {
            return problem!;
        }

        if (scenario.Draft is null)
        {
            return TypedResults.Problem($"Scenario '{id}' has no draft to discard.", statusCode: StatusCodes.Status404NotFound);
        }

        var db = services.Db;
        try
        {
            if (scenario.LatestVersion == 0)
            {
                // Never published, so nothing can be pinned to it: it goes entirely, with its media.
                var files = await db.MediaFiles.Where(m => m.ScenarioId == id).Select(m => m.StoragePath).ToListAsync(cancellationToken);
                db.Scenarios.Remove(scenario);
                await db.SaveChangesAsync(cancellationToken);
                foreach (var file in files)
                {
                    media.Delete(file);
                }
            }
            else
            {
                scenario.Draft = null;
                scenario.DraftUpdatedAt = null;
                scenario.DraftUpdatedBy = null;
                scenario.DraftRevision++;
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return DraftChanged(id);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<ScenarioDetails>, ProblemHttpResult>> Publish(
        Guid id, [AsParameters] ContentServices services, [FromServices] ScenarioPublishing publishing, CancellationToken cancellationToken)
    {
        var (scenario, problem) = await FindAuthoredAsync(services, id, cancellationToken, track: true);
        if (scenario is null)
        {
            return problem!;
        }

        if (scenario.Draft is not { } document)
        {
            return TypedResults.Problem(
                $"Scenario '{id}' has no draft to publish: version {scenario.LatestVersion} is already the latest. Save a draft first.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var version = await publishing.StageAsync(scenario, document, services.User.Id, cancellationToken);
        scenario.DraftRevision++;
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException ||
                                   ex is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } })
        {
            return TypedResults.Problem($"Scenario '{id}' was published or edited by someone else at the same time; reload it.", statusCode: StatusCodes.Status409Conflict);
        }

        var media = await services.Db.MediaFiles.AsNoTracking().Where(m => m.ScenarioId == id).OrderBy(m => m.UploadedAt).ToListAsync(cancellationToken);
        var details = ScenarioDetails.From(version, version.Version, ScenariosApi.Rating(scenario.RatingCount, scenario.RatingSum), media.Select(MediaView.From).ToList(), full: true);
        return TypedResults.Created($"/v1/content/scenarios/{id}/versions/{version.Version}", details);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(
        Guid id, [AsParameters] ContentServices services, CancellationToken cancellationToken, [Range(1, int.MaxValue)] int? version = null)
    {
        var user = services.User;
        var published = await services.Db.ScenarioVersions.AsNoTracking()
            .VisibleTo(user)
            .Where(v => v.ScenarioId == id && (version == null ? v.IsLatest : v.Version == version))
            .Select(v => new { v.InstitutionId, v.Slug, v.Version, v.Document })
            .SingleOrDefaultAsync(cancellationToken);
        if (published is null)
        {
            return TypedResults.Problem($"Scenario '{id}' has no published version{(version is null ? string.Empty : $" {version}")} you can read.", statusCode: StatusCodes.Status404NotFound);
        }

        if (!user.SeesEverything(published.InstitutionId))
        {
            return TypedResults.Problem("Exports include the hidden facts: only the owning institution's educators and platform admins export a scenario.", statusCode: StatusCodes.Status403Forbidden);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(published.Document, SeedLibrary.JsonOptions);
        return TypedResults.File(bytes, "application/json", $"{published.Slug}-v{published.Version}.json");
    }

    /// <summary>The scenario if the caller may author it: not found when they cannot even read it; forbidden when they
    /// can read but not author it.</summary>
    private static async Task<(Scenario? Scenario, ProblemHttpResult? Problem)> FindAuthoredAsync(
        ContentServices services, Guid id, CancellationToken cancellationToken, bool track = false)
    {
        var scenarios = track ? services.Db.Scenarios : services.Db.Scenarios.AsNoTracking();
        var scenario = await scenarios.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        var user = services.User;
        if (scenario is null || !user.CanRead(scenario.InstitutionId) || (scenario.LatestVersion == 0 && !user.CanAuthor(scenario.InstitutionId)))
        {
            return (null, TypedResults.Problem($"No scenario has the id '{id}'.", statusCode: StatusCodes.Status404NotFound));
        }

        if (!user.CanAuthor(scenario.InstitutionId))
        {
            return (null, TypedResults.Problem(
                scenario.InstitutionId is null
                    ? "Platform-wide scenarios are authored by platform admins."
                    : "Only the institution's educators author its scenarios.",
                statusCode: StatusCodes.Status403Forbidden));
        }

        return (scenario, null);
    }

    /// <summary>Reads a whole scenario document strictly (unknown or missing members are errors) and validates it;
    /// the second value is the 400/413 answer when it is not a valid document.</summary>
    internal static async Task<(ScenarioDocument? Document, ProblemHttpResult? Problem)> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem("Send the scenario document as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > MaxDocumentBytes)
        {
            return (null, TypedResults.Problem($"A scenario document is at most {MaxDocumentBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }

        ScenarioDocument? document;
        try
        {
            await using var limited = new LimitedReadStream(request.Body, MaxDocumentBytes);
            document = await JsonSerializer.DeserializeAsync<ScenarioDocument>(limited, SeedLibrary.JsonOptions, cancellationToken);
        }
        catch (LimitedReadStream.TooLargeException)
        {
            return (null, TypedResults.Problem($"A scenario document is at most {MaxDocumentBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge));
        }
        catch (JsonException ex)
        {
            return (null, Invalid(new Dictionary<string, string[]> { [ex.Path ?? "$"] = [ex.Message] }));
        }

        if (document is null)
        {
            return (null, Invalid(new Dictionary<string, string[]> { ["$"] = ["The body is a scenario document, not null."] }));
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(document, new ValidationContext(document), results, validateAllProperties: true);
        if (results.Count == 0)
        {
            results.AddRange(document.Validate(new ValidationContext(document)));
        }

        if (results.Count > 0)
        {
            var errors = results
                .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : ["$"]).Select(member => (member, r.ErrorMessage ?? "Invalid.")))
                .GroupBy(e => e.member, e => e.Item2)
                .ToDictionary(g => g.Key, g => g.Distinct().ToArray());
            return (null, Invalid(errors));
        }

        return (document, null);
    }

    private static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Title = "The scenario document is not valid.",
            Status = StatusCodes.Status400BadRequest,
        });

    private static ProblemHttpResult SlugTaken(string slug, Guid? id) => TypedResults.Problem(
        $"A scenario with the slug '{slug}' already exists{(id is null ? string.Empty : $" (id {id})")}; edit its draft, or import under another slug.",
        statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult DraftChanged(Guid id) => TypedResults.Problem(
        $"The draft of scenario '{id}' changed since you read it (If-Match does not match its ETag); reload it and apply your edit again.",
        statusCode: StatusCodes.Status412PreconditionFailed);
}

using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The catalogue: published scenarios, filtered, searched and paged, and each one as the caller may see it. Every
/// signed-in user reads the platform-wide scenarios and their own institution's; learners get the brief without
/// hidden facts. Answers come from the Redis catalogue cache when they can.
/// </summary>
public static class ScenariosApi
{
    public const int MaxQueryLength = 200;

    public static RouteGroupBuilder MapScenariosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/content/scenarios").WithTags("Scenarios").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/", ListScenarios)
            .WithName("ListScenarios")
            .WithSummary("The published catalogue: filter by clinical area, difficulty, framework and tag; q searches (ranked); paged.")
            .Produces<ScenarioPage>()
            .ProducesValidationProblem();

        api.MapGet("/{id:guid}", GetScenario)
            .WithName("GetScenario")
            .WithSummary("The latest published version: persona (without hidden facts for learners), flow summary and rubric.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}/versions", ListVersions)
            .WithName("ListScenarioVersions")
            .WithSummary("Every published version of a scenario, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}/versions/{version:int}", GetScenarioVersion)
            .WithName("GetScenarioVersion")
            .WithSummary("One published version, as it was published (sessions pin one).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/v1/content/clinical-areas", () => TypedResults.Ok(ClinicalAreas.Names.Select(a => new NamedCode(a.Key, a.Value)).OrderBy(a => a.Name).ToList()))
            .WithTags("Taxonomy").WithName("ListClinicalAreas").WithSummary("The clinical areas scenarios belong to.")
            .RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/v1/content/frameworks", () => TypedResults.Ok(CommunicationFrameworks.Names.Select(f => new NamedCode(f.Key, f.Value)).OrderBy(f => f.Name).ToList()))
            .WithTags("Taxonomy").WithName("ListFrameworks").WithSummary("The communication frameworks scenarios are built on.")
            .RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/v1/content/rubrics/consultation-essentials", () => TypedResults.Ok(ConsultationEssentials.Items))
            .WithTags("Taxonomy").WithName("GetConsultationEssentials").WithSummary("The default rubric every scenario is scored against.")
            .RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);

        return api;
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ListScenarios(
        [AsParameters] ContentServices services,
        CancellationToken cancellationToken,
        string? clinicalArea = null,
        string? difficulty = null,
        string? framework = null,
        string? tag = null,
        string? q = null,
        [Range(1, 10_000)] int page = 1,
        [Range(1, 100)] int pageSize = 20)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TryParseDifficulty(difficulty, out var level))
        {
            errors[nameof(difficulty)] = ["The difficulty is foundation, intermediate or advanced."];
        }

        var area = Code(clinicalArea);
        if (area is not null && !ClinicalAreas.All.Contains(area))
        {
            errors[nameof(clinicalArea)] = [$"The clinical area is one of: {string.Join(", ", ClinicalAreas.All.Order())}."];
        }

        var model = Code(framework);
        if (model is not null && !CommunicationFrameworks.All.Contains(model))
        {
            errors[nameof(framework)] = [$"The framework is one of: {string.Join(", ", CommunicationFrameworks.All.Order())}."];
        }

        var search = string.Join(' ', (q ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        if (search.Length > MaxQueryLength)
        {
            errors[nameof(q)] = [$"The search is at most {MaxQueryLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var filter = new CatalogueFilter(area, level, model, Code(tag), search.Length == 0 ? null : search, page, pageSize);
        var user = services.User;
        var key = $"list:{Scope(user)}:{filter.Key}";
        // The page is sent as the cached JSON itself (a ScenarioPage).
        var json = await services.Cache.GetOrCreateJsonAsync(
            key, ct => QueryCatalogueAsync(services.Db, user, filter, ct), services.Json, cancellationToken);
        return TypedResults.Bytes(json, "application/json; charset=utf-8");
    }

    public static async Task<Results<Ok<ScenarioDetails>, ProblemHttpResult>> GetScenario(
        Guid id, [AsParameters] ContentServices services, CancellationToken cancellationToken) =>
        await GetVersionAsync(id, version: null, services, cancellationToken);

    public static async Task<Results<Ok<ScenarioDetails>, ProblemHttpResult>> GetScenarioVersion(
        Guid id, int version, [AsParameters] ContentServices services, CancellationToken cancellationToken) =>
        await GetVersionAsync(id, version, services, cancellationToken);

    public static async Task<Results<Ok<List<ScenarioVersionSummary>>, ProblemHttpResult>> ListVersions(
        Guid id, [AsParameters] ContentServices services, CancellationToken cancellationToken)
    {
        var versions = await services.Db.ScenarioVersions.AsNoTracking()
            .VisibleTo(services.User)
            .Where(v => v.ScenarioId == id)
            .OrderByDescending(v => v.Version)
            .Select(v => new ScenarioVersionSummary(v.Version, v.Title, v.PublishedAt, v.PublishedBy, v.IsLatest))
            .ToListAsync(cancellationToken);
        return versions.Count == 0 ? NotPublished(id) : TypedResults.Ok(versions);
    }

    private static async Task<Results<Ok<ScenarioDetails>, ProblemHttpResult>> GetVersionAsync(
        Guid id, int? version, [AsParameters] ContentServices services, CancellationToken cancellationToken)
    {
        var key = $"scenario:{id:N}:{version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "latest"}";
        var cached = await services.Cache.GetOrCreateAsync(
            key, ct => LoadAsync(services.Db, id, version, ct), services.Json, cancellationToken);

        // Access is decided here, per caller, never by what happens to be cached.
        var user = services.User;
        if (cached is null || !user.CanRead(cached.InstitutionId))
        {
            return version is null ? NotPublished(id) : TypedResults.Problem(
                $"Scenario '{id}' has no published version {version}.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(user.SeesEverything(cached.InstitutionId) ? cached.Full : cached.Learner);
    }

    /// <summary>Both views of one published version, cached together; the caller's rights pick one.</summary>
    internal sealed record CachedScenario(Guid? InstitutionId, ScenarioDetails Full, ScenarioDetails Learner);

    private static async Task<CachedScenario?> LoadAsync(ContentDbContext db, Guid id, int? number, CancellationToken cancellationToken)
    {
        var row = await db.ScenarioVersions.AsNoTracking()
            .Where(v => v.ScenarioId == id && (number == null ? v.IsLatest : v.Version == number))
            .Join(db.Scenarios, v => v.ScenarioId, s => s.Id, (v, s) => new { Version = v, s.LatestVersion, s.RatingCount, s.RatingSum })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var media = await db.MediaFiles.AsNoTracking()
            .Where(m => m.ScenarioId == id)
            .OrderBy(m => m.UploadedAt)
            .ToListAsync(cancellationToken);
        var mediaViews = media.Select(MediaView.From).ToList();
        var rating = Rating(row.RatingCount, row.RatingSum);
        return new CachedScenario(
            row.Version.InstitutionId,
            ScenarioDetails.From(row.Version, row.LatestVersion, rating, mediaViews, full: true),
            ScenarioDetails.From(row.Version, row.LatestVersion, rating, mediaViews, full: false));
    }

    internal static async Task<ScenarioPage> QueryCatalogueAsync(ContentDbContext db, ICurrentUser user, CatalogueFilter filter, CancellationToken cancellationToken)
    {
        var versions = db.ScenarioVersions.AsNoTracking().Where(v => v.IsLatest).VisibleTo(user);
        if (filter.ClinicalArea is { } area)
        {
            versions = versions.Where(v => v.ClinicalArea == area);
        }

        if (filter.Difficulty is { } level)
        {
            versions = versions.Where(v => v.Difficulty == level);
        }

        if (filter.Framework is { } framework)
        {
            versions = versions.Where(v => v.Framework == framework);
        }

        if (filter.Tag is { } tag)
        {
            versions = versions.Where(v => v.Tags.Contains(tag));
        }

        var rows = versions.Join(db.Scenarios, v => v.ScenarioId, s => s.Id, (v, s) => new { Version = v, s.RatingCount, s.RatingSum });
        if (filter.Search is { } search)
        {
            // websearch syntax: words, "quoted phrases", or, -excluded. Best match first (cover density, which rewards
            // the words appearing close together, over the weighted title/summary/brief vector).
            rows = rows.Where(r => r.Version.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", search)))
                .OrderByDescending(r => r.Version.SearchVector.RankCoverDensity(EF.Functions.WebSearchToTsQuery("english", search)))
                .ThenBy(r => r.Version.Title)
                .ThenBy(r => r.Version.ScenarioId);
        }
        else
        {
            rows = rows.OrderBy(r => r.Version.Title).ThenBy(r => r.Version.ScenarioId);
        }

        var total = await rows.CountAsync(cancellationToken);
        var page = await rows
            .Skip((filter.Page - 1) * filter.PageSize)
            .Take(filter.PageSize)
            .Select(r => new
            {
                r.Version.ScenarioId, r.Version.Title, r.Version.ClinicalArea, r.Version.Difficulty, r.Version.Framework,
                r.Version.Summary, r.Version.Version, r.Version.EstimatedMinutes, r.Version.Setting, r.Version.Tags,
                r.Version.InstitutionId, r.RatingCount, r.RatingSum, r.Version.PublishedAt,
            })
            .ToListAsync(cancellationToken);

        var items = page.Select(r => new ScenarioSummary(
            r.ScenarioId, r.Title, r.ClinicalArea, r.Difficulty, r.Framework, r.Summary, r.Version, r.EstimatedMinutes,
            r.Setting, r.Tags, r.InstitutionId, Rating(r.RatingCount, r.RatingSum), r.PublishedAt)).ToList();
        return new ScenarioPage(items, total, filter.Page, filter.PageSize);
    }

    internal static RatingSummary Rating(int count, int sum) =>
        new(count == 0 ? null : Math.Round((double)sum / count, 2), count);

    /// <summary>Whose catalogue: everything for platform admins, else the platform-wide scenarios plus the caller's
    /// institution's. Cache keys carry it, so no one is served another tenant's listing.</summary>
    internal static string Scope(ICurrentUser user) =>
        user.IsPlatformAdmin ? "all" : user.InstitutionId is { } institutionId ? institutionId.ToString("N") : "platform";

    private static ProblemHttpResult NotPublished(Guid id) =>
        TypedResults.Problem($"No published scenario has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>"Primary care", " PRIMARY-care " and "primary-care" all name primary-care; blank is no filter.</summary>
    private static string? Code(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : string.Join('-', value.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Matches names only, ignoring case (Enum.TryParse would also take "7"); blank means no filter.</summary>
    internal static bool TryParseDifficulty(string? value, out Difficulty? difficulty)
    {
        difficulty = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        foreach (var candidate in Enum.GetValues<Difficulty>())
        {
            if (candidate.ToString().Equals(value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                difficulty = candidate;
                return true;
            }
        }

        return false;
    }
}

/// <summary>A normalised catalogue query; <see cref="Key"/> names it in the cache.</summary>
internal sealed record CatalogueFilter(string? ClinicalArea, Difficulty? Difficulty, string? Framework, string? Tag, string? Search, int Page, int PageSize)
{
    public string Key => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{ClinicalArea}|{Difficulty}|{Framework}|{Tag}|{Page}|{PageSize}|{Search}");
}

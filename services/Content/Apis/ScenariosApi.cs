using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Model;

namespace Microsoft.AspNetCore.Builder;

public static class ScenariosApi
{
    public static RouteGroupBuilder MapScenariosApi(this IEndpointRouteBuilder app)
    {
        // Every scenario is platform-wide today, so any signed-in user of any institution reads the whole catalogue.
        var api = app.MapGroup("/v1/content/scenarios").WithTags("Scenarios").RequireAuthorization();

        api.MapGet("/", ListScenarios)
            .WithName("ListScenarios")
            .WithSummary("The published scenario catalogue, optionally filtered by clinical area, difficulty and framework.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/{id:guid}", GetScenario)
            .WithName("GetScenario")
            .WithSummary("One published scenario.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<ScenarioPage>, ValidationProblem>> ListScenarios(
        ContentDbContext db,
        CancellationToken cancellationToken,
        string? clinicalArea = null,
        string? difficulty = null,
        string? framework = null,
        [Range(1, int.MaxValue)] int page = 1,
        [Range(1, 100)] int pageSize = 20)
    {
        if (!TryParseDifficulty(difficulty, out var level))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(difficulty)] = ["The difficulty is foundation, intermediate or advanced."],
            });
        }

        var scenarios = db.Scenarios.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(clinicalArea))
        {
            var pattern = ExactMatch(clinicalArea);
            scenarios = scenarios.Where(s => EF.Functions.ILike(s.ClinicalArea, pattern));
        }

        if (level is not null)
        {
            scenarios = scenarios.Where(s => s.Difficulty == level);
        }

        if (!string.IsNullOrWhiteSpace(framework))
        {
            var pattern = ExactMatch(framework);
            scenarios = scenarios.Where(s => EF.Functions.ILike(s.Framework, pattern));
        }

        var total = await scenarios.CountAsync(cancellationToken);
        var items = await scenarios
            .OrderBy(s => s.Title)
            .ThenBy(s => s.Id)
            .Skip((int)Math.Min((page - 1L) * pageSize, int.MaxValue))
            .Take(pageSize)
            .Select(s => new ScenarioSummary(
                s.Id, s.Title, s.ClinicalArea, s.Difficulty, s.Framework, s.Summary, s.Version, s.EstimatedMinutes))
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new ScenarioPage(items, total));
    }

    public static async Task<Results<Ok<ScenarioDetails>, ProblemHttpResult>> GetScenario(
        Guid id,
        ContentDbContext db,
        CancellationToken cancellationToken)
    {
        var scenario = await db.Scenarios.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return scenario is null
            ? TypedResults.Problem($"No scenario has the id '{id}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ScenarioDetails.From(scenario));
    }

    /// <summary>Matches names only, ignoring case (Enum.TryParse would also take "7"); blank means no filter.</summary>
    private static bool TryParseDifficulty(string? value, out Difficulty? difficulty)
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

    /// <summary>An ILIKE pattern matching exactly <paramref name="value"/>, ignoring case: the wildcards are escaped.</summary>
    private static string ExactMatch(string value) =>
        value.Trim().Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}

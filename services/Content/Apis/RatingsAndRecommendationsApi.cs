using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Learners rate scenarios (the average is kept on the scenario, in the same transaction) and get
/// recommendations: the scenarios that exercise their weakest rubric items once they have progress, until then the
/// best-rated at their level.</summary>
public static class RatingsAndRecommendationsApi
{
    /// <summary>Below this share of sessions an item counts as weak.</summary>
    public const double WeakItemRate = 0.6;

    public static IEndpointRouteBuilder MapRatingsAndRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/content/scenarios/{id:guid}/rating", Rate)
            .WithTags("Scenarios")
            .WithName("RateScenario")
            .WithSummary("Rate a published scenario from 1 to 5 stars; rating again replaces your rating.")
            .RequireAuthorization()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/v1/content/recommendations", Recommend)
            .WithTags("Scenarios")
            .WithName("RecommendScenarios")
            .WithSummary("Scenarios for the caller: those exercising their weakest rubric items, else the best-rated at their level.")
            .RequireAuthorization()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return app;
    }

    public static async Task<Results<Ok<ScenarioRatingView>, ValidationProblem, ProblemHttpResult>> Rate(
        Guid id, RateScenarioRequest request, [AsParameters] ContentServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Stars is < 1 or > 5)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["stars"] = ["Stars are a whole number from 1 to 5."] });
        }

        var db = services.Db;
        var user = services.User;
        var published = await db.ScenarioVersions.AsNoTracking().VisibleTo(user).AnyAsync(v => v.ScenarioId == id && v.IsLatest, cancellationToken);
        if (!published)
        {
            return TypedResults.Problem($"No published scenario has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        // The scenario row is locked for the transaction, so concurrent ratings add up instead of overwriting.
        var strategy = db.Database.CreateExecutionStrategy();
        var rating = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var scenario = await db.Scenarios.FromSql($"SELECT * FROM scenarios WHERE id = {id} FOR UPDATE").SingleAsync(ct);
            var mine = await db.ScenarioRatings.SingleOrDefaultAsync(r => r.ScenarioId == id && r.UserId == user.Id, ct);
            if (mine is null)
            {
                db.ScenarioRatings.Add(new ScenarioRating { ScenarioId = id, UserId = user.Id, InstitutionId = user.InstitutionId, Stars = request.Stars, RatedAt = services.Time.GetUtcNow() });
                scenario.RatingCount++;
                scenario.RatingSum += request.Stars;
            }
            else
            {
                scenario.RatingSum += request.Stars - mine.Stars;
                mine.Stars = request.Stars;
                mine.RatedAt = services.Time.GetUtcNow();
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return ScenariosApi.Rating(scenario.RatingCount, scenario.RatingSum);
        }, cancellationToken);

        return TypedResults.Ok(new ScenarioRatingView(id, request.Stars, rating));
    }

    public static async Task<Results<Ok<RecommendationList>, ValidationProblem>> Recommend(
        HttpContext http,
        [AsParameters] ContentServices services,
        [FromServices] ILearnerProgressSource progressSource,
        CancellationToken cancellationToken,
        string? difficulty = null,
        [Range(1, 20)] int count = 5)
    {
        if (!ScenariosApi.TryParseDifficulty(difficulty, out var level))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(difficulty)] = ["The difficulty is foundation, intermediate or advanced."] });
        }

        var authorization = AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) ? header : null;
        var progress = await progressSource.GetAsync(authorization, cancellationToken);
        var rows = await services.Db.ScenarioVersions.AsNoTracking()
            .Where(v => v.IsLatest)
            .VisibleTo(services.User)
            .Join(services.Db.Scenarios, v => v.ScenarioId, s => s.Id, (v, s) => new { Version = v, s.RatingCount, s.RatingSum })
            .Select(r => new
            {
                r.Version.ScenarioId, r.Version.Title, r.Version.ClinicalArea, r.Version.Difficulty, r.Version.Framework,
                r.Version.Summary, r.Version.Version, r.Version.EstimatedMinutes, r.Version.Setting, r.Version.Tags,
                r.Version.InstitutionId, r.Version.PublishedAt, r.Version.FocusItems, r.RatingCount, r.RatingSum,
            })
            .ToListAsync(cancellationToken);

        var scored = rows.Select(r => new Candidate(
            new ScenarioSummary(r.ScenarioId, r.Title, r.ClinicalArea, r.Difficulty, r.Framework, r.Summary, r.Version,
                r.EstimatedMinutes, r.Setting, r.Tags, r.InstitutionId, ScenariosApi.Rating(r.RatingCount, r.RatingSum), r.PublishedAt),
            r.FocusItems,
            Popularity(r.RatingCount, r.RatingSum))).ToList();
        var list = Recommender.Recommend(scored, progress, level, count);
        return TypedResults.Ok(list);
    }

    /// <summary>A Bayesian average: a few ratings pull the 3-star prior only a little, many pull it all the way.</summary>
    private static double Popularity(int count, int sum) => (sum + (3.0 * 5)) / (count + 5);
}

/// <summary>A scenario the recommender may pick.</summary>
public sealed record Candidate(ScenarioSummary Scenario, IReadOnlyList<string> FocusItems, double Popularity);

/// <summary>The ranking itself, kept free of HTTP and the database so it can be tested directly.</summary>
public static class Recommender
{
    public static RecommendationList Recommend(IReadOnlyList<Candidate> candidates, IReadOnlyList<ItemProgress> progress, Difficulty? level, int count)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(progress);
        var weak = progress
            .Where(p => ConsultationEssentials.Codes.Contains(p.Code) && p.Rate < RatingsAndRecommendationsApi.WeakItemRate)
            .OrderBy(p => p.Rate)
            .ThenBy(p => p.Code, StringComparer.Ordinal)
            .Take(3)
            .ToList();

        if (weak.Count > 0)
        {
            var picks = candidates
                .Select(c => (Candidate: c, Exercises: weak.Where(w => c.FocusItems.Contains(w.Code)).ToList()))
                .Where(x => x.Exercises.Count > 0 && (level is null || x.Candidate.Scenario.Difficulty == level))
                .OrderByDescending(x => x.Exercises.Sum(w => 1 - w.Rate))
                .ThenByDescending(x => x.Candidate.Popularity)
                .ThenBy(x => x.Candidate.Scenario.Title, StringComparer.Ordinal)
                .Take(count)
                .Select(x => new Recommendation(
                    x.Candidate.Scenario,
                    $"Practises {string.Join(", ", x.Exercises.Select(w => Title(w.Code)))}, where your recent sessions were weakest.",
                    x.Exercises.Select(w => w.Code).ToList()))
                .ToList();
            if (picks.Count > 0)
            {
                return new RecommendationList("weakest-items", picks);
            }
        }

        // No progress yet: the learner's level first (foundation for a newcomer), then how well-liked each one is.
        var preferred = level ?? Difficulty.Foundation;
        var popular = candidates
            .OrderBy(c => Math.Abs((int)c.Scenario.Difficulty - (int)preferred))
            .ThenByDescending(c => c.Popularity)
            .ThenBy(c => c.Scenario.Title, StringComparer.Ordinal)
            .Take(count)
            .Select(c => new Recommendation(
                c.Scenario,
                c.Scenario.Difficulty == preferred
                    ? $"Popular at {preferred.ToString().ToLowerInvariant()} level."
                    : $"Popular; a step from {preferred.ToString().ToLowerInvariant()} level.",
                []))
            .ToList();
        return new RecommendationList("popularity-and-level", popular);
    }

    private static string Title(string code) => code.Replace('_', ' ');
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;

namespace Microsoft.AspNetCore.Builder;

public static class PlansApi
{
    public static RouteGroupBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        // Public pricing: the plans are shown before anyone has an account.
        var api = app.MapGroup("/v1/billing/plans").WithTags("Plans").AllowAnonymous();

        api.MapGet("/", ListPlans)
            .WithName("ListPlans")
            .WithSummary("The plans on offer, cheapest first, optionally only those for individuals or institutions.")
            .ProducesValidationProblem();

        api.MapGet("/{code}", GetPlan)
            .WithName("GetPlan")
            .WithSummary("One plan by its code, including plans no longer offered.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<List<PlanDetails>>, ValidationProblem>> ListPlans(
        BillingDbContext db,
        CancellationToken cancellationToken,
        string? audience = null)
    {
        if (!TryParseAudience(audience, out var wanted))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(audience)] = ["The audience is individual or institution."],
            });
        }

        var plans = db.Plans.AsNoTracking().Where(p => p.IsActive);
        if (wanted is not null)
        {
            plans = plans.Where(p => p.Audience == wanted);
        }

        var list = await plans.OrderBy(p => p.PriceMinor).ThenBy(p => p.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(PlanDetails.From).ToList());
    }

    public static async Task<Results<Ok<PlanDetails>, ProblemHttpResult>> GetPlan(
        string code,
        BillingDbContext db,
        CancellationToken cancellationToken)
    {
        var normalized = code.ToLowerInvariant();
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Code == normalized, cancellationToken);
        return plan is null
            ? TypedResults.Problem($"No plan has the code '{code}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(PlanDetails.From(plan));
    }

    /// <summary>Matches names only, ignoring case (Enum.TryParse would also take "7"); blank means no filter.</summary>
    private static bool TryParseAudience(string? value, out PlanAudience? audience)
    {
        audience = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        foreach (var candidate in Enum.GetValues<PlanAudience>())
        {
            if (candidate.ToString().Equals(value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                audience = candidate;
                return true;
            }
        }

        return false;
    }
}

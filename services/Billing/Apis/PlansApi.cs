using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Apis;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class PlansApi
{
    public static RouteGroupBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/billing/plans").WithTags("Plans");

        // Public pricing: the plans are shown before anyone has an account.
        api.MapGet("/", ListPlans)
            .WithName("ListPlans")
            .WithSummary("The plans on offer, cheapest first, optionally only those for individuals or institutions.")
            .AllowAnonymous()
            .ProducesValidationProblem();

        api.MapGet("/{code}", GetPlan)
            .WithName("GetPlan")
            .WithSummary("One plan by its code, including plans no longer offered.")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/", CreatePlan)
            .WithName("CreatePlan")
            .WithSummary("Add a plan to the catalogue; platform admins.")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPut("/{code}", UpdatePlan)
            .WithName("UpdatePlan")
            .WithSummary("Change a plan's name, price (from existing subscriptions' next period), allowance or whether it is offered; platform admins.")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{code}/deactivate", DeactivatePlan)
            .WithName("DeactivatePlan")
            .WithSummary("Stop offering a plan; existing subscriptions keep it. Platform admins.")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return api;
    }

    public static async Task<Results<Created<PlanDetails>, ProblemHttpResult>> CreatePlan(
        CreatePlanRequest request, BillingDbContext db, CancellationToken cancellationToken)
    {
        if (request.PricedPerSeat && request.Audience != PlanAudience.Institution)
        {
            return BillingProblems.Unprocessable("Only institution plans are priced per seat", "Set pricedPerSeat only on an institution plan.");
        }

        if (await db.Plans.AnyAsync(p => p.Code == request.Code, cancellationToken))
        {
            return BillingProblems.Conflict("The code is taken", $"A plan with the code '{request.Code}' exists.");
        }

        var plan = new Plan
        {
            Code = request.Code,
            Name = request.Name.Trim(),
            Audience = request.Audience,
            PriceMinor = request.PriceMinor,
            Currency = request.Currency,
            MonthlySessionAllowance = request.MonthlySessionAllowance,
            PricedPerSeat = request.PricedPerSeat,
        };
        db.Plans.Add(plan);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return BillingProblems.Conflict("The code is taken", $"A plan with the code '{request.Code}' exists.");
        }

        return TypedResults.Created($"/v1/billing/plans/{plan.Code}", PlanDetails.From(plan));
    }

    public static async Task<Results<Ok<PlanDetails>, ProblemHttpResult>> UpdatePlan(
        string code, UpdatePlanRequest request, BillingDbContext db, EntitlementCache cache, CancellationToken cancellationToken)
    {
        var normalized = code.ToLowerInvariant();
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Code == normalized, cancellationToken);
        if (plan is null)
        {
            return TypedResults.Problem($"No plan has the code '{code}'.", statusCode: StatusCodes.Status404NotFound);
        }

        plan.Name = request.Name?.Trim() ?? plan.Name;
        plan.PriceMinor = request.PriceMinor ?? plan.PriceMinor;
        plan.MonthlySessionAllowance = request.MonthlySessionAllowance ?? plan.MonthlySessionAllowance;
        if (request.IsActive is { } active)
        {
            if (!active && plan.Code == BillingDbSeed.FreeCode)
            {
                return BillingProblems.Unprocessable("The free tier stays", "The free tier is what every learner falls back to; change its allowance instead.");
            }

            plan.IsActive = active;
        }

        // An allowance or name shows in every cached answer.
        cache.InvalidateAllOnCommit(db);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(PlanDetails.From(plan));
    }

    public static Task<Results<Ok<PlanDetails>, ProblemHttpResult>> DeactivatePlan(
        string code, BillingDbContext db, EntitlementCache cache, CancellationToken cancellationToken) =>
        UpdatePlan(code, new UpdatePlanRequest(IsActive: false), db, cache, cancellationToken);

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

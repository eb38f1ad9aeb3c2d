using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/billing/usage").WithTags("Usage").RequireAuthorization();

        api.MapGet("/me", GetMyUsage)
            .WithName("GetMyUsage")
            .WithSummary("The caller's own usage (sessions, minutes, LLM tokens and cost) per period and what it was billed to (a subscription, or none for the free tier), newest first.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return api;
    }

    public static async Task<Ok<List<UsagePeriod>>> GetMyUsage(BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var userId = user.Id;
        return TypedResults.Ok(await Usage.PerPeriod(db.UsageRecords.Where(u => u.LearnerId == userId)).ToListAsync(cancellationToken));
    }
}

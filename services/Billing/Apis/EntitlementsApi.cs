using Microsoft.AspNetCore.Http.HttpResults;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class EntitlementsApi
{
    public static RouteGroupBuilder MapEntitlementsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/billing/entitlements").WithTags("Entitlements").RequireAuthorization();

        api.MapGet("/me", GetMyEntitlement)
            .WithName("GetMyEntitlement")
            .WithSummary("May the caller start a practice session now, and if not, why and what to do: a seat of their institution (taken automatically while seats are free), their own subscription, or the free tier's monthly allowance. Cached in Redis per user.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return api;
    }

    public static async Task<Ok<EntitlementAnswer>> GetMyEntitlement(Entitlements entitlements, ICurrentUser user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await entitlements.ForAsync(user, cancellationToken));
}

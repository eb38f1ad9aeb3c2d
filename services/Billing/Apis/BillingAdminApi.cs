using Microsoft.AspNetCore.Http.HttpResults;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class BillingAdminApi
{
    public static RouteGroupBuilder MapBillingAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/billing/admin").WithTags("Billing administration")
            .RequireAuthorization(PlatformPolicies.PlatformAdmin);

        api.MapPost("/close-period", ClosePeriod)
            .WithName("ClosePeriod")
            .WithSummary("Run the period close now (the background job does it every Billing:PeriodCloseInterval): restrict past-due subscriptions beyond their grace period, renew those at period end and issue their invoices, expire cancelled ones.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }

    public static async Task<Ok<PeriodCloseSummary>> ClosePeriod(PeriodClose periodClose, CancellationToken cancellationToken) =>
        TypedResults.Ok(await periodClose.RunAsync(cancellationToken));
}

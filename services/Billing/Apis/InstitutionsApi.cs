using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Apis;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public sealed record SeatCounts(int Total, int Used, int Free);

public sealed record InstitutionBilling(
    Guid InstitutionId,
    SubscriptionDetails? Subscription,
    SeatCounts Seats,
    UsagePeriod? UsageThisPeriod,
    int OpenInvoices);

public static class InstitutionsApi
{
    public static RouteGroupBuilder MapInstitutionsBillingApi(this IEndpointRouteBuilder app)
    {
        // Institution admins for their own institution, platform admins for any; another institution is 404.
        var api = app.MapGroup("/v1/billing/institutions/{institutionId:guid}").WithTags("Institutions")
            .RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/", GetInstitutionBilling)
            .WithName("GetInstitutionBilling")
            .WithSummary("The institution's plan, status, seats total/used/free, period and usage this period.");

        api.MapGet("/seats", ListSeats)
            .WithName("ListSeats")
            .WithSummary("Who holds the seats of the institution's subscription, first taken first.");

        api.MapDelete("/seats/{userId:guid}", ReleaseSeat)
            .WithName("ReleaseSeat")
            .WithSummary("Release a learner's seat: they fall back to their own subscription or the free tier, and the seat is free for the next learner who asks.");

        api.MapGet("/invoices", ListInstitutionInvoices)
            .WithName("ListInstitutionInvoices")
            .WithSummary("The institution subscription's invoices, newest first, drafts included.");

        api.MapGet("/usage", GetInstitutionUsage)
            .WithName("GetInstitutionUsage")
            .WithSummary("Usage billed to the institution's subscriptions (sessions, minutes, LLM tokens and cost), per period, newest first.");

        return api;
    }

    public static async Task<Results<Ok<InstitutionBilling>, ProblemHttpResult>> GetInstitutionBilling(
        Guid institutionId, BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.ManagesInstitution(institutionId))
        {
            return NoSuchInstitution(institutionId);
        }

        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Plan)
            .Where(s => s.SubscriberKind == SubscriberKind.Institution && s.InstitutionId == institutionId && s.Status != SubscriptionStatus.Expired)
            .FirstOrDefaultAsync(cancellationToken);
        if (subscription is null)
        {
            return TypedResults.Ok(new InstitutionBilling(institutionId, null, new SeatCounts(0, 0, 0), null, 0));
        }

        var used = await db.SeatAssignments.CountAsync(s => s.SubscriptionId == subscription.Id, cancellationToken);
        var usage = await Usage.PerPeriod(db.UsageRecords.Where(u => u.SubscriptionId == subscription.Id && u.PeriodStart == subscription.CurrentPeriodStart))
            .FirstOrDefaultAsync(cancellationToken);
        var open = await db.Invoices.CountAsync(i => i.SubscriptionId == subscription.Id && i.Status == InvoiceStatus.Open, cancellationToken);
        return TypedResults.Ok(new InstitutionBilling(
            institutionId,
            SubscriptionDetails.From(subscription),
            new SeatCounts(subscription.Seats, used, Math.Max(0, subscription.Seats - used)),
            usage ?? new UsagePeriod(subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd, subscription.Id, 0, 0, 0, 0, 0),
            open));
    }

    public static async Task<Results<Ok<List<SeatDetails>>, ProblemHttpResult>> ListSeats(
        Guid institutionId, BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.ManagesInstitution(institutionId))
        {
            return NoSuchInstitution(institutionId);
        }

        var seats = await db.SeatAssignments.AsNoTracking()
            .Where(s => s.InstitutionId == institutionId &&
                        db.Subscriptions.Any(x => x.Id == s.SubscriptionId && x.Status != SubscriptionStatus.Expired))
            .OrderBy(s => s.AssignedAt)
            .Select(s => new SeatDetails(s.UserId, s.AssignedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(seats);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ReleaseSeat(
        Guid institutionId, Guid userId, BillingDbContext db, ICurrentUser user, EntitlementNotices notices, CancellationToken cancellationToken)
    {
        if (!user.ManagesInstitution(institutionId))
        {
            return NoSuchInstitution(institutionId);
        }

        var seats = await db.SeatAssignments.Where(s => s.InstitutionId == institutionId && s.UserId == userId).ToListAsync(cancellationToken);
        if (seats.Count == 0)
        {
            return BillingProblems.NotFound($"A seat held by '{userId}'");
        }

        db.SeatAssignments.RemoveRange(seats);
        notices.SeatReleased(institutionId, userId);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<InvoiceDetails>>, ProblemHttpResult>> ListInstitutionInvoices(
        Guid institutionId, BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.ManagesInstitution(institutionId))
        {
            return NoSuchInstitution(institutionId);
        }

        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines)
            .Where(i => i.SubscriberKind == SubscriberKind.Institution && i.InstitutionId == institutionId)
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(invoices.Select(i => InvoiceDetails.From(i)).ToList());
    }

    public static async Task<Results<Ok<List<UsagePeriod>>, ProblemHttpResult>> GetInstitutionUsage(
        Guid institutionId, BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.ManagesInstitution(institutionId))
        {
            return NoSuchInstitution(institutionId);
        }

        var subscriptions = db.Subscriptions.Where(s => s.SubscriberKind == SubscriberKind.Institution && s.InstitutionId == institutionId).Select(s => (Guid?)s.Id);
        var usage = await Usage.PerPeriod(db.UsageRecords.Where(u => subscriptions.Contains(u.SubscriptionId))).ToListAsync(cancellationToken);
        return TypedResults.Ok(usage);
    }

    private static ProblemHttpResult NoSuchInstitution(Guid institutionId) => BillingProblems.NotFound($"The institution '{institutionId}'");
}

public static class Usage
{
    /// <summary>Usage summed per period (and subscription), newest first.</summary>
    public static IQueryable<UsagePeriod> PerPeriod(IQueryable<UsageRecord> records) =>
        records
            .GroupBy(u => new { u.PeriodStart, u.PeriodEnd, u.SubscriptionId })
            .OrderByDescending(g => g.Key.PeriodStart)
            .Select(g => new UsagePeriod(
                g.Key.PeriodStart,
                g.Key.PeriodEnd,
                g.Key.SubscriptionId,
                g.Sum(u => u.Sessions),
                g.Sum(u => u.Minutes),
                g.Sum(u => u.InputTokens),
                g.Sum(u => u.OutputTokens),
                g.Sum(u => u.Cost)));
}

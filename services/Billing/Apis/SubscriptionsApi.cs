using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Apis;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/billing/subscriptions").WithTags("Subscriptions").RequireAuthorization();

        api.MapPost("/", CreateSubscription)
            .WithName("CreateSubscription")
            .WithSummary("Subscribe: a learner to an individual plan for themselves (active at once, first invoice issued), or an institution admin to an institution plan with seats for their institution (a trial of Billing:TrialDays first).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/me", GetMySubscription)
            .WithName("GetMySubscription")
            .WithSummary("The caller's own (individual) subscription, unless expired; 404 when they have none.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}", GetSubscription)
            .WithName("GetSubscription")
            .WithSummary("One subscription: for its learner, the admins of its institution (institution subscriptions) and platform admins; 404 for anyone else.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPatch("/{id:guid}", ChangeSubscription)
            .WithName("ChangeSubscription")
            .WithSummary("Change seats and/or plan mid-period: unused time of the old quantity and price is credited and the new charged for the rest of the period, to the day, as proration lines on the subscription's next invoice (nothing is prorated during a trial).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/{id:guid}/cancel", CancelSubscription)
            .WithName("CancelSubscription")
            .WithSummary("Cancel at the end of the paid period (it entitles until then, then expires) or now (it expires at once, nothing refunded).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    public static async Task<Results<Created<SubscriptionDetails>, ProblemHttpResult>> CreateSubscription(
        CreateSubscriptionRequest request, [AsParameters] BillingServices services, CancellationToken cancellationToken)
    {
        var (db, user) = (services.Db, services.User);
        var code = request.PlanCode?.Trim().ToLowerInvariant() ?? string.Empty;
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (plan is null || !plan.IsActive)
        {
            return BillingProblems.Unprocessable("No such plan", $"There is no plan on offer with the code '{request.PlanCode}'.");
        }

        if (plan.Code == BillingDbSeed.FreeCode)
        {
            return BillingProblems.Unprocessable("The free tier needs no subscription", "Every user has the free tier; subscribe to a paid plan.");
        }

        var providerName = request.PaymentProvider?.Trim().ToLowerInvariant() ?? ManualPaymentProvider.ProviderName;
        if (services.Providers.Find(providerName) is not { } provider)
        {
            return BillingProblems.Unprocessable("No such payment provider", $"'{request.PaymentProvider}' is not a configured payment provider.");
        }

        var now = services.Time.GetUtcNow();
        Subscription subscription;
        if (plan.Audience == PlanAudience.Institution)
        {
            if (!user.IsInstitutionAdmin)
            {
                return BillingProblems.Forbidden("Only an institution admin subscribes an institution.");
            }

            if ((request.InstitutionId ?? user.InstitutionId) is not { } institutionId)
            {
                return BillingProblems.Unprocessable("Which institution?", "A platform admin names the institution (institutionId).");
            }

            if (!user.ManagesInstitution(institutionId))
            {
                return BillingProblems.NotFound($"The institution '{institutionId}'");
            }

            if (request.Seats is not { } seats)
            {
                return BillingProblems.Unprocessable("Seats are required", "An institution plan is bought per seat: say how many (seats).");
            }

            var trialEnd = now.AddDays(services.Options.Value.TrialDays);
            subscription = new Subscription
            {
                SubscriberKind = SubscriberKind.Institution,
                InstitutionId = institutionId,
                PlanId = plan.Id,
                Plan = plan,
                Status = services.Options.Value.TrialDays > 0 ? SubscriptionStatus.Trialing : SubscriptionStatus.Active,
                Seats = seats,
                BillingAnchor = services.Options.Value.TrialDays > 0 ? trialEnd : now,
                CurrentPeriodStart = now,
                CurrentPeriodEnd = services.Options.Value.TrialDays > 0 ? trialEnd : now.AddMonths(1),
                TrialEndsAt = services.Options.Value.TrialDays > 0 ? trialEnd : null,
                PaymentProvider = provider.Name,
                CreatedBy = user.Id,
                CreatedAt = now,
            };
        }
        else
        {
            if (!user.IsInRole(PlatformRoles.Learner))
            {
                return BillingProblems.Forbidden("Individual plans are for learners, who subscribe for themselves.");
            }

            if (request.InstitutionId is not null || request.Seats is > 1)
            {
                return BillingProblems.Unprocessable("An individual plan has one seat", "Subscribe to an individual plan without institutionId or seats.");
            }

            subscription = new Subscription
            {
                SubscriberKind = SubscriberKind.User,
                UserId = user.Id,
                InstitutionId = user.InstitutionId,
                PlanId = plan.Id,
                Plan = plan,
                Status = SubscriptionStatus.Active,
                Seats = 1,
                BillingAnchor = now,
                CurrentPeriodStart = now,
                CurrentPeriodEnd = now.AddMonths(1),
                PaymentProvider = provider.Name,
                CreatedBy = user.Id,
                CreatedAt = now,
            };
        }

        if (await LiveSubscriptionExistsAsync(db, subscription, cancellationToken))
        {
            return AlreadySubscribed(subscription);
        }

        try
        {
            await db.InTransactionAsync(async token =>
            {
                db.Attach(plan);
                db.Subscriptions.Add(subscription);
                Invoice? first = null;
                if (subscription.Status == SubscriptionStatus.Active)
                {
                    // Paid in advance: the first period is invoiced at once.
                    first = services.Invoicing.NewDraft(subscription, subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd);
                    services.Invoicing.AddFee(first, subscription, subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd);
                }

                services.Notices.SubscriptionChanged(subscription, "subscribed");
                await db.SaveChangesAsync(token);
                if (first is not null)
                {
                    await services.Invoicing.FinaliseAsync(first.Id, token);
                }

                return true;
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return AlreadySubscribed(subscription);
        }

        return TypedResults.Created($"/v1/billing/subscriptions/{subscription.Id}", SubscriptionDetails.From(subscription));
    }

    public static async Task<Results<Ok<SubscriptionDetails>, ProblemHttpResult>> GetMySubscription(
        BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var userId = user.Id;
        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Plan)
            .Where(s => s.SubscriberKind == SubscriberKind.User && s.UserId == userId && s.Status != SubscriptionStatus.Expired)
            .FirstOrDefaultAsync(cancellationToken);
        return subscription is null
            ? BillingProblems.NotFound("A subscription of yours")
            : TypedResults.Ok(SubscriptionDetails.From(subscription));
    }

    public static async Task<Results<Ok<SubscriptionDetails>, ProblemHttpResult>> GetSubscription(
        Guid id, BillingDbContext db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().Include(s => s.Plan).SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        return subscription is null || !user.CanRead(subscription)
            ? BillingProblems.NotFound($"The subscription '{id}'")
            : TypedResults.Ok(SubscriptionDetails.From(subscription));
    }

    public static async Task<Results<Ok<SubscriptionDetails>, ProblemHttpResult>> ChangeSubscription(
        Guid id, ChangeSubscriptionRequest request, [AsParameters] BillingServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        return await db.InTransactionAsync<Results<Ok<SubscriptionDetails>, ProblemHttpResult>>(async token =>
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM subscriptions WHERE id = {id} FOR UPDATE", token);
            var subscription = await db.Subscriptions.Include(s => s.Plan).SingleOrDefaultAsync(s => s.Id == id, token);
            if (subscription is null || !services.User.CanRead(subscription))
            {
                return BillingProblems.NotFound($"The subscription '{id}'");
            }

            if (!subscription.IsChangeable)
            {
                return BillingProblems.Conflict("The subscription cannot be changed",
                    $"The subscription is {Entitlements.StatusName(subscription.Status)}; only a trialing, active or past-due subscription changes.");
            }

            var oldPlan = subscription.Plan;
            var newPlan = oldPlan;
            if (request.PlanCode is { } code && !string.Equals(code.Trim(), oldPlan.Code, StringComparison.OrdinalIgnoreCase))
            {
                var normalized = code.Trim().ToLowerInvariant();
                newPlan = await db.Plans.SingleOrDefaultAsync(p => p.Code == normalized, token);
                if (newPlan is null || !newPlan.IsActive || newPlan.Code == BillingDbSeed.FreeCode || newPlan.Audience != oldPlan.Audience)
                {
                    return BillingProblems.Unprocessable("No such plan for this subscription",
                        $"'{code}' is not a paid {oldPlan.Audience.ToString().ToLowerInvariant()} plan on offer.");
                }
            }

            var newSeats = request.Seats ?? subscription.Seats;
            if (subscription.SubscriberKind == SubscriberKind.User && newSeats != 1)
            {
                return BillingProblems.Unprocessable("An individual plan has one seat", "Only institution subscriptions change seats.");
            }

            var taken = await db.SeatAssignments.CountAsync(s => s.SubscriptionId == subscription.Id, token);
            if (newSeats < taken)
            {
                return BillingProblems.Conflict("Seats are in use",
                    $"{taken} seats are taken; release {taken - newSeats} before reducing to {newSeats}.");
            }

            if (newSeats == subscription.Seats && newPlan.Id == oldPlan.Id)
            {
                return TypedResults.Ok(SubscriptionDetails.From(subscription));
            }

            var now = services.Time.GetUtcNow();
            if (subscription.Status != SubscriptionStatus.Trialing)
            {
                var lines = Proration.Lines(
                    oldPlan.Name, oldPlan.PriceMinor, oldPlan.PricedPerSeat ? subscription.Seats : 1,
                    newPlan.Name, newPlan.PriceMinor, newPlan.PricedPerSeat ? newSeats : 1,
                    subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd, now);
                if (lines.Count > 0)
                {
                    var draft = await services.Invoicing.UpcomingDraftAsync(subscription, token);
                    services.Invoicing.AddProration(draft, lines, now, subscription.CurrentPeriodEnd);
                }
            }

            subscription.Seats = newSeats;
            subscription.PlanId = newPlan.Id;
            subscription.Plan = newPlan;
            services.Notices.SubscriptionChanged(subscription, "seats or plan changed");
            await db.SaveChangesAsync(token);
            return TypedResults.Ok(SubscriptionDetails.From(subscription));
        }, cancellationToken);
    }

    public static async Task<Results<Ok<SubscriptionDetails>, ProblemHttpResult>> CancelSubscription(
        Guid id, [AsParameters] BillingServices services, CancellationToken cancellationToken, CancelSubscriptionRequest? request = null)
    {
        var db = services.Db;
        var atPeriodEnd = request?.AtPeriodEnd ?? true;
        return await db.InTransactionAsync<Results<Ok<SubscriptionDetails>, ProblemHttpResult>>(async token =>
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM subscriptions WHERE id = {id} FOR UPDATE", token);
            var subscription = await db.Subscriptions.Include(s => s.Plan).SingleOrDefaultAsync(s => s.Id == id, token);
            if (subscription is null || !services.User.CanRead(subscription))
            {
                return BillingProblems.NotFound($"The subscription '{id}'");
            }

            var allowed = subscription.Status is SubscriptionStatus.Trialing or SubscriptionStatus.Active or SubscriptionStatus.PastDue or SubscriptionStatus.Restricted ||
                          (subscription.Status == SubscriptionStatus.Cancelled && !atPeriodEnd);
            if (!allowed)
            {
                return BillingProblems.Conflict("The subscription cannot be cancelled",
                    $"The subscription is already {Entitlements.StatusName(subscription.Status)}.");
            }

            SubscriptionRules.Cancel(subscription, atPeriodEnd, services.Time.GetUtcNow());
            services.Notices.SubscriptionChanged(subscription, atPeriodEnd ? "cancelled at period end" : "cancelled now");
            await db.SaveChangesAsync(token);
            return TypedResults.Ok(SubscriptionDetails.From(subscription));
        }, cancellationToken);
    }

    private static Task<bool> LiveSubscriptionExistsAsync(BillingDbContext db, Subscription subscription, CancellationToken cancellationToken) =>
        subscription.SubscriberKind == SubscriberKind.Institution
            ? db.Subscriptions.AnyAsync(s => s.SubscriberKind == SubscriberKind.Institution && s.InstitutionId == subscription.InstitutionId && s.Status != SubscriptionStatus.Expired, cancellationToken)
            : db.Subscriptions.AnyAsync(s => s.SubscriberKind == SubscriberKind.User && s.UserId == subscription.UserId && s.Status != SubscriptionStatus.Expired, cancellationToken);

    private static ProblemHttpResult AlreadySubscribed(Subscription subscription) =>
        BillingProblems.Conflict("Already subscribed", subscription.SubscriberKind == SubscriberKind.Institution
            ? "The institution already has a subscription; change its seats or plan instead, or let it expire first."
            : "You already have a subscription; change or cancel it instead, or let it expire first.");
}

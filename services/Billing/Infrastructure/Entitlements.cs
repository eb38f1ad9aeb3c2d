using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.Billing.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Billing.Infrastructure;

/// <summary>
/// Decides whether a learner may start a session, in this order: a seat of their institution's subscription (taken
/// automatically, first come, while seats are free), their own individual subscription, then the free tier's monthly
/// allowance (granted at registration, or lazily here).
/// </summary>
public sealed class Entitlements(
    BillingDbContext db,
    EntitlementCache cache,
    IEventOutbox outbox,
    TimeProvider time,
    IOptions<BillingOptions> options)
{
    private const string IndividualRemedy = "subscribe to Individual";

    /// <summary>The caller's answer, from the cache when it holds one.</summary>
    public Task<EntitlementAnswer> ForAsync(ICurrentUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userId = user.Id;
        var institutionId = user.InstitutionId;
        var takesSeats = user.IsInRole(PlatformRoles.Learner);
        return cache.GetOrComputeAsync(userId, institutionId, token => ComputeAsync(userId, institutionId, takesSeats, token), cancellationToken);
    }

    /// <summary>The answer from the database; takes a free seat for a learner of an entitled institution.</summary>
    public async Task<EntitlementAnswer> ComputeAsync(Guid userId, Guid? institutionId, bool takesSeats, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        string? seatsFullRemedy = null;

        if (institutionId is { } institution)
        {
            var subscription = await InstitutionSubscriptionAsync(institution, cancellationToken);
            if (subscription is not null && subscription.Entitles(now))
            {
                var seated = await HoldsSeatAsync(subscription.Id, userId, cancellationToken) ||
                             (takesSeats && await TryTakeSeatAsync(subscription.Id, institution, userId, cancellationToken));
                if (seated)
                {
                    return new EntitlementAnswer(
                        true,
                        $"You hold a seat of your institution's {subscription.Plan.Name} subscription.",
                        null,
                        subscription.Plan.Code,
                        null,
                        subscription.CurrentPeriodEnd,
                        EntitlementSource.Seat,
                        subscription.Id,
                        ValidUntil(now, subscription));
                }

                seatsFullRemedy = $"All {subscription.Seats} seats of your institution are taken: ask your institution admin to release or add a seat, or {IndividualRemedy}.";
            }
            else if (subscription is not null)
            {
                var state = subscription.Status is SubscriptionStatus.PastDue or SubscriptionStatus.Restricted
                    ? "restricted for an overdue payment"
                    : "no longer active";
                seatsFullRemedy = $"Your institution's subscription is {state}: ask your institution admin to settle it, or {IndividualRemedy}.";
            }
        }

        var individual = await IndividualSubscriptionAsync(userId, cancellationToken);
        if (individual is not null && individual.Entitles(now))
        {
            return new EntitlementAnswer(
                true,
                $"Your {individual.Plan.Name} subscription is {StatusName(individual.Status)}.",
                null,
                individual.Plan.Code,
                individual.Plan.MonthlySessionAllowance,
                individual.CurrentPeriodEnd,
                EntitlementSource.Individual,
                individual.Id,
                ValidUntil(now, individual));
        }

        await EnsureFreeTierAsync(userId, institutionId, now, cancellationToken);
        var free = await db.Plans.AsNoTracking().SingleAsync(p => p.Code == BillingDbSeed.FreeCode, cancellationToken);
        var allowance = free.MonthlySessionAllowance ?? 0;
        var monthStart = BillingPeriods.MonthStart(now);
        var monthEnd = BillingPeriods.NextMonthStart(now);
        var used = await FreeSessionsUsedAsync(userId, monthStart, monthEnd, cancellationToken);
        var remaining = Math.Max(0, allowance - used);
        var validUntil = Min(monthEnd, now + options.Value.EntitlementCacheTimeToLive);
        if (remaining > 0)
        {
            return new EntitlementAnswer(
                true,
                $"You have {remaining} of your {allowance} free sessions left this month.",
                null,
                free.Code,
                remaining,
                monthEnd,
                EntitlementSource.Free,
                null,
                validUntil);
        }

        var remedy = seatsFullRemedy
            ?? (individual is { Status: SubscriptionStatus.PastDue or SubscriptionStatus.Restricted }
                ? "Pay the open invoice of your Individual subscription to restore it, or ask your institution for a seat."
                : $"Ask your institution for a seat or {IndividualRemedy}.");
        return new EntitlementAnswer(
            false,
            $"You have used your {allowance} free sessions this month; they renew on {BillingPeriods.DayAndMonth(monthEnd)}.",
            remedy,
            free.Code,
            0,
            monthEnd,
            EntitlementSource.None,
            null,
            validUntil);
    }

    /// <summary>What covers a session that has started, without taking seats: recorded with the session so the free
    /// allowance counts only sessions the free tier paid for.</summary>
    public async Task<(EntitlementSource Source, Guid? SubscriptionId)> CoverageAsync(Guid userId, Guid? institutionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (institutionId is { } institution &&
            await InstitutionSubscriptionAsync(institution, cancellationToken) is { } subscription &&
            subscription.Entitles(at) &&
            await HoldsSeatAsync(subscription.Id, userId, cancellationToken))
        {
            return (EntitlementSource.Seat, subscription.Id);
        }

        if (await IndividualSubscriptionAsync(userId, cancellationToken) is { } individual && individual.Entitles(at))
        {
            return (EntitlementSource.Individual, individual.Id);
        }

        return (EntitlementSource.Free, null);
    }

    public Task<Subscription?> InstitutionSubscriptionAsync(Guid institutionId, CancellationToken cancellationToken) =>
        db.Subscriptions.AsNoTracking().Include(s => s.Plan)
            .Where(s => s.SubscriberKind == SubscriberKind.Institution && s.InstitutionId == institutionId && s.Status != SubscriptionStatus.Expired)
            .FirstOrDefaultAsync(cancellationToken);

    public Task<Subscription?> IndividualSubscriptionAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Subscriptions.AsNoTracking().Include(s => s.Plan)
            .Where(s => s.SubscriberKind == SubscriberKind.User && s.UserId == userId && s.Status != SubscriptionStatus.Expired)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task EnsureFreeTierAsync(Guid userId, Guid? institutionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await db.FreeTierGrants.AnyAsync(g => g.UserId == userId, cancellationToken))
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO free_tier_grants (user_id, institution_id, granted_at) VALUES ({userId}, {institutionId}, {now}) ON CONFLICT DO NOTHING",
                cancellationToken);
        }
    }

    private Task<int> FreeSessionsUsedAsync(Guid userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        db.SessionStarts.CountAsync(
            s => s.LearnerId == userId && s.CoveredBy == EntitlementSource.Free && s.StartedAt >= from && s.StartedAt < to,
            cancellationToken);

    private Task<bool> HoldsSeatAsync(Guid subscriptionId, Guid userId, CancellationToken cancellationToken) =>
        db.SeatAssignments.AnyAsync(s => s.SubscriptionId == subscriptionId && s.UserId == userId, cancellationToken);

    /// <summary>Takes a free seat, first come: the subscription row is locked while seats are counted, so two learners
    /// asking at once cannot both take the last one.</summary>
    private Task<bool> TryTakeSeatAsync(Guid subscriptionId, Guid institutionId, Guid userId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async token =>
        {
            var locked = await db.Subscriptions
                .FromSql($"SELECT * FROM subscriptions WHERE id = {subscriptionId} FOR UPDATE")
                .AsNoTracking()
                .SingleOrDefaultAsync(token);
            if (locked is null || !locked.Entitles(time.GetUtcNow()))
            {
                return false;
            }

            var taken = await db.SeatAssignments.CountAsync(s => s.SubscriptionId == subscriptionId, token);
            if (await db.SeatAssignments.AnyAsync(s => s.SubscriptionId == subscriptionId && s.UserId == userId, token))
            {
                return true;
            }

            if (taken >= locked.Seats)
            {
                return false;
            }

            db.SeatAssignments.Add(new SeatAssignment
            {
                SubscriptionId = subscriptionId,
                InstitutionId = institutionId,
                UserId = userId,
                AssignedAt = time.GetUtcNow(),
            });
            outbox.Add(new EntitlementChanged(userId, institutionId, "seat taken", time.GetUtcNow()));
            await db.SaveChangesAsync(token);
            return true;
        }, cancellationToken);

    private DateTimeOffset ValidUntil(DateTimeOffset now, Subscription subscription)
    {
        var until = now + options.Value.EntitlementCacheTimeToLive;
        until = Min(until, subscription.CurrentPeriodEnd);
        return subscription.GraceEndsAt is { } grace && grace > now ? Min(until, grace) : until;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    internal static string StatusName(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Trialing => "trialing",
        SubscriptionStatus.Active => "active",
        SubscriptionStatus.PastDue => "past due (pay the open invoice before the grace period ends)",
        SubscriptionStatus.Restricted => "restricted",
        SubscriptionStatus.Cancelled => "cancelled and runs to the end of its period",
        _ => "expired",
    };
}

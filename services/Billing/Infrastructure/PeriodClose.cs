using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.Billing.Model;

namespace PracticePlatform.Billing.Infrastructure;

public sealed record PeriodCloseSummary(int Renewed, int Expired, int Restricted, int InvoicesIssued);

/// <summary>
/// Closes what is due at the service's clock: a past-due subscription whose grace period ran out is restricted; a
/// subscription at the end of its period is renewed for the next one (a trial becomes active) and its draft invoice,
/// holding the new period's fee and any proration, is issued; a cancelled one expires. A restricted subscription is
/// not renewed until its open invoice is paid. Each subscription is closed in its own transaction, under a row lock,
/// so the job and the admin endpoint (or two replicas) never close one twice.
/// </summary>
public sealed partial class PeriodClose(IServiceScopeFactory scopes, TimeProvider time, ILogger<PeriodClose> logger)
{
    private const int MaxPeriodsAtOnce = 36;

    public async Task<PeriodCloseSummary> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            due = await db.Subscriptions.AsNoTracking()
                .Where(s => (s.Status != SubscriptionStatus.Expired && s.Status != SubscriptionStatus.Restricted && s.CurrentPeriodEnd <= now) ||
                            (s.Status == SubscriptionStatus.PastDue && s.GraceEndsAt <= now))
                .OrderBy(s => s.CurrentPeriodEnd)
                .Select(s => s.Id)
                .ToListAsync(cancellationToken);
        }

        var summary = new PeriodCloseSummary(0, 0, 0, 0);
        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var one = await CloseAsync(scope.ServiceProvider, id, cancellationToken);
            summary = new PeriodCloseSummary(
                summary.Renewed + one.Renewed, summary.Expired + one.Expired, summary.Restricted + one.Restricted, summary.InvoicesIssued + one.InvoicesIssued);
        }

        if (due.Count > 0)
        {
            LogClosed(logger, summary.Renewed, summary.Expired, summary.Restricted, summary.InvoicesIssued);
        }

        return summary;
    }

    private async Task<PeriodCloseSummary> CloseAsync(IServiceProvider services, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BillingDbContext>();
        var invoicing = services.GetRequiredService<Invoicing>();
        var notices = services.GetRequiredService<EntitlementNotices>();
        return await db.InTransactionAsync(async token =>
        {
            var now = time.GetUtcNow();
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM subscriptions WHERE id = {subscriptionId} FOR UPDATE", token);
            var subscription = await db.Subscriptions.Include(s => s.Plan).SingleAsync(s => s.Id == subscriptionId, token);
            int renewed = 0, expired = 0, restricted = 0, issued = 0;

            if (subscription.Status == SubscriptionStatus.PastDue && subscription.GraceEndsAt <= now)
            {
                subscription.Status = SubscriptionStatus.Restricted;
                notices.SubscriptionChanged(subscription, "payment overdue beyond the grace period; restricted");
                restricted++;
            }

            for (var i = 0; i < MaxPeriodsAtOnce && subscription.CurrentPeriodEnd <= now; i++)
            {
                if (subscription.Status == SubscriptionStatus.Cancelled)
                {
                    subscription.Status = SubscriptionStatus.Expired;
                    subscription.EndedAt = subscription.CurrentPeriodEnd;
                    notices.SubscriptionChanged(subscription, "cancelled subscription expired");
                    expired++;
                    var leftover = await db.Invoices.Include(d => d.Lines)
                        .FirstOrDefaultAsync(d => d.SubscriptionId == subscription.Id && d.Status == InvoiceStatus.Draft, token);
                    if (leftover is not null)
                    {
                        // Proration already owed is still billed; an empty draft has nothing to say.
                        if (leftover.Lines.Count == 0)
                        {
                            db.Invoices.Remove(leftover);
                            await db.SaveChangesAsync(token);
                        }
                        else
                        {
                            await db.SaveChangesAsync(token);
                            await invoicing.FinaliseAsync(leftover.Id, token);
                            issued++;
                        }
                    }

                    break;
                }

                if (subscription.Status is not (SubscriptionStatus.Trialing or SubscriptionStatus.Active or SubscriptionStatus.PastDue))
                {
                    break;
                }

                var start = subscription.CurrentPeriodEnd;
                var end = BillingPeriods.NextPeriodEnd(subscription.BillingAnchor, start);
                var draft = await invoicing.UpcomingDraftAsync(subscription, token);
                draft.PeriodStart = start;
                draft.PeriodEnd = end;
                invoicing.AddFee(draft, subscription, start, end);
                if (subscription.Status == SubscriptionStatus.Trialing)
                {
                    subscription.Status = SubscriptionStatus.Active;
                    subscription.TrialEndsAt ??= start;
                }

                subscription.CurrentPeriodStart = start;
                subscription.CurrentPeriodEnd = end;
                await db.SaveChangesAsync(token);
                await invoicing.FinaliseAsync(draft.Id, token);
                renewed++;
                issued++;
            }

            await db.SaveChangesAsync(token);
            return new PeriodCloseSummary(renewed, expired, restricted, issued);
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Period close: {Renewed} renewed, {Expired} expired, {Restricted} restricted, {Issued} invoices issued")]
    private static partial void LogClosed(ILogger logger, int renewed, int expired, int restricted, int issued);
}

/// <summary>Runs <see cref="PeriodClose"/> every <c>Billing:PeriodCloseInterval</c> unless
/// <c>Billing:PeriodCloseJobEnabled</c> is off.</summary>
public sealed partial class PeriodCloseJob(PeriodClose periodClose, IOptions<BillingOptions> options, ILogger<PeriodCloseJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PeriodCloseJobEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PeriodCloseInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await periodClose.RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The period-close job failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

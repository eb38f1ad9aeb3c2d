using Microsoft.EntityFrameworkCore;
using PracticePlatform.Billing.Infrastructure;
using PracticePlatform.Billing.IntegrationEvents.Events;
using PracticePlatform.Billing.Model;
using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.EventHandling;

/// <summary>
/// Usage is billed to what covered the learner when it happened (their institution's seat, their own subscription,
/// else the free tier, per learner and calendar month) and is keyed by its source (the session id, the usage id),
/// so a redelivered event, or the same session re-sent under a new event id, never counts twice.
/// </summary>
public sealed class UsageRecording(BillingDbContext db, Entitlements entitlements, TimeProvider time)
{
    public async Task RecordAsync(UsageRecord template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (await db.UsageRecords.AnyAsync(u => u.SourceKey == template.SourceKey, cancellationToken))
        {
            return;
        }

        var (source, subscriptionId) = await entitlements.CoverageAsync(template.LearnerId, template.InstitutionId, template.OccurredAt, cancellationToken);
        DateTimeOffset start, end;
        if (source != EntitlementSource.Free && subscriptionId is { } id &&
            await db.Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is { } subscription)
        {
            (start, end) = (subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd);
        }
        else
        {
            subscriptionId = null;
            (start, end) = (BillingPeriods.MonthStart(template.OccurredAt), BillingPeriods.NextMonthStart(template.OccurredAt));
        }

        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO usage_records (id, source_key, kind, subscription_id, learner_id, institution_id, period_start, period_end,
                                       sessions, minutes, input_tokens, output_tokens, cost, model, occurred_at, recorded_at)
            VALUES ({Guid.CreateVersion7()}, {template.SourceKey}, {template.Kind.ToString()}, {subscriptionId}, {template.LearnerId},
                    {template.InstitutionId}, {start}, {end}, {template.Sessions}, {template.Minutes}, {template.InputTokens},
                    {template.OutputTokens}, {template.Cost}, {template.Model}, {template.OccurredAt}, {time.GetUtcNow()})
            ON CONFLICT (source_key) DO NOTHING
            """,
            cancellationToken);
    }
}

public sealed class PracticeSessionCompletedHandler(UsageRecording usage) : IIntegrationEventHandler<PracticeSessionCompleted>
{
    public Task HandleAsync(PracticeSessionCompleted @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var seconds = Math.Max(0, (@event.EndedAt - @event.StartedAt).TotalSeconds);
        return usage.RecordAsync(new UsageRecord
        {
            SourceKey = $"session:{@event.SessionId}",
            Kind = UsageKind.Session,
            LearnerId = @event.LearnerId,
            InstitutionId = @event.InstitutionId,
            Sessions = 1,
            Minutes = Math.Round((decimal)seconds / 60m, 2, MidpointRounding.AwayFromZero),
            OccurredAt = @event.EndedAt.ToUniversalTime(),
        }, cancellationToken);
    }
}

public sealed class AiUsageRecordedHandler(UsageRecording usage) : IIntegrationEventHandler<AiUsageRecorded>
{
    public Task HandleAsync(AiUsageRecorded @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return usage.RecordAsync(new UsageRecord
        {
            SourceKey = $"llm:{@event.UsageId}",
            Kind = UsageKind.Llm,
            LearnerId = @event.LearnerId,
            InstitutionId = @event.InstitutionId,
            InputTokens = Math.Max(0, @event.InputTokens),
            OutputTokens = Math.Max(0, @event.OutputTokens),
            Cost = Math.Max(0, @event.Cost),
            Model = @event.Model.Length <= 200 ? @event.Model : @event.Model[..200],
            OccurredAt = @event.At.ToUniversalTime(),
        }, cancellationToken);
    }
}

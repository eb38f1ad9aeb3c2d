using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.Ai.Reports;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class FeedbackApi
{
    private const int MaxOverrideAttempts = 3;

    public static RouteGroupBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/ai/feedback").WithTags("Feedback");

        // No :guid constraint: a malformed id is a bad request (400), not an unknown address (404).
        api.MapGet("/{sessionId}", GetFeedback)
            .WithName("GetFeedback")
            .WithSummary("A practice session's feedback report: 404 before the session ends, 202 while it is being prepared, 200 once it is "
                + "completed (or has failed). For the session's learner, the educators of their cohort, their institution's admins or a "
                + "platform admin; 404 for anyone else.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{sessionId}/items/{code}/override", OverrideItem)
            .WithName("OverrideFeedbackItem")
            .WithSummary("An educator who may read the report corrects one item (present or score) with a reason. The learner sees the "
                + "original beside the override; the report's revision goes up, progress follows it, and the institution's audit log records it.")
            .RequireAuthorization(PlatformPolicies.Educator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    public static async Task<Results<Ok<FeedbackReportDetails>, Accepted<PendingFeedback>, ProblemHttpResult>> GetFeedback(
        Guid sessionId,
        AiDbContext db,
        ICurrentUser user,
        CancellationToken cancellationToken)
    {
        // A report the caller may not read answers exactly like a missing one, so its existence is not revealed.
        var report = await db.FeedbackReports.AsNoTracking().ReadableBy(user)
            .FirstOrDefaultAsync(r => r.PracticeSessionId == sessionId, cancellationToken);
        return report switch
        {
            null => NoFeedback(sessionId),
            { Status: FeedbackStatus.Pending } => TypedResults.Accepted(
                $"/v1/ai/feedback/{sessionId}", new PendingFeedback(sessionId, report.Status)),
            _ => TypedResults.Ok(FeedbackReportDetails.From(report)),
        };
    }

    public static async Task<Results<Ok<FeedbackReportDetails>, ProblemHttpResult>> OverrideItem(
        Guid sessionId,
        string code,
        OverrideItemRequest request,
        [AsParameters] OverrideServices services,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var report = await services.Db.FeedbackReports.ReadableBy(services.User)
                .FirstOrDefaultAsync(r => r.PracticeSessionId == sessionId, cancellationToken);
            if (report is null)
            {
                return NoFeedback(sessionId);
            }

            if (report.LearnerId == services.User.Id)
            {
                return TypedResults.Problem(
                    "You cannot override the feedback on your own session: an educator who teaches you can.",
                    statusCode: StatusCodes.Status403Forbidden);
            }

            if (report.Status != FeedbackStatus.Completed)
            {
                return TypedResults.Problem(
                    $"The report is {report.Status.ToString().ToLowerInvariant()}: only a completed report's items can be overridden.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            var index = report.Items.FindIndex(i => i.Code == code);
            if (index < 0)
            {
                return TypedResults.Problem($"The report has no item '{code}'.", statusCode: StatusCodes.Status404NotFound);
            }

            var now = services.Time.GetUtcNow();
            var item = report.Items[index];
            var reason = request.Reason!.Trim();
            var correction = new ItemOverride(request.EffectivePresent, request.EffectiveScore, reason, services.User.Id, services.User.Name, now);
            report.Items = [.. report.Items.Select((existing, i) => i == index ? existing with { Override = correction } : existing)];
            report.Revision++;
            services.Db.FeedbackOverrides.Add(new FeedbackOverrideRecord
            {
                ReportId = report.Id,
                PracticeSessionId = report.PracticeSessionId,
                ItemCode = code,
                PreviousPresent = item.EffectivePresent,
                PreviousScore = item.EffectiveScore,
                Present = correction.Present,
                Score = correction.Score,
                Reason = reason,
                EducatorId = services.User.Id,
                At = now,
            });
            services.Outbox.Add(FeedbackReportEvents.Generated(report, now));
            services.Outbox.Add(new FeedbackItemOverridden(
                report.Id, report.PracticeSessionId, report.LearnerId, report.InstitutionId, code,
                item.EffectivePresent, correction.Present, correction.Score, reason, services.User.Id, now));
            try
            {
                await services.Db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(FeedbackReportDetails.From(report));
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxOverrideAttempts)
            {
                // Another override landed first: apply this one on top of it.
                services.Db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                return TypedResults.Problem(
                    "The report is being changed by someone else right now. Reload it and try again.",
                    statusCode: StatusCodes.Status409Conflict);
            }
        }
    }

    private static ProblemHttpResult NoFeedback(Guid sessionId) =>
        TypedResults.Problem($"There is no feedback for the session '{sessionId}'.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>What an override needs besides the request.</summary>
/// <remarks>[FromServices] keeps the request validator out of these objects.</remarks>
public sealed record OverrideServices(
    [FromServices] AiDbContext Db,
    [FromServices] ICurrentUser User,
    [FromServices] IEventOutbox Outbox,
    [FromServices] TimeProvider Time);

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

public static class FeedbackApi
{
    public static RouteGroupBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/ai/feedback").WithTags("Feedback");

        // No :guid constraint: a malformed id is a bad request (400), not an unknown address (404).
        api.MapGet("/{sessionId}", GetFeedback)
            .WithName("GetFeedback")
            .WithSummary("A practice session's feedback report: 202 while it is being prepared, 200 once it is completed (or has failed). "
                + "For the session's learner, an educator of its institution or a platform admin; 404 for anyone else.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

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
            null => TypedResults.Problem(
                $"There is no feedback for the session '{sessionId}'.", statusCode: StatusCodes.Status404NotFound),
            { Status: FeedbackStatus.Pending } => TypedResults.Accepted(
                $"/v1/ai/feedback/{sessionId}", new PendingFeedback(sessionId, report.Status)),
            _ => TypedResults.Ok(FeedbackReportDetails.From(report)),
        };
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.Model;

namespace Microsoft.AspNetCore.Builder;

public static class FeedbackApi
{
    public static RouteGroupBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/ai/feedback").WithTags("Feedback");

        // No :guid constraint: a malformed id is a bad request (400), not an unknown address (404).
        api.MapGet("/{sessionId}", GetFeedback)
            .WithName("GetFeedback")
            .WithSummary("A practice session's feedback report: 202 while it is being prepared, 200 once it is completed (or has failed).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<FeedbackReportDetails>, Accepted<PendingFeedback>, ProblemHttpResult>> GetFeedback(
        Guid sessionId,
        AiDbContext db,
        CancellationToken cancellationToken)
    {
        var report = await db.FeedbackReports.AsNoTracking()
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

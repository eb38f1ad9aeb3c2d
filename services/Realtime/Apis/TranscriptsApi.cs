using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PracticePlatform.Realtime.Apis;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.Model;

namespace Microsoft.AspNetCore.Builder;

public static partial class TranscriptsApi
{
    public static RouteGroupBuilder MapTranscriptsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/realtime/sessions").WithTags("Transcripts");

        api.MapGet("/{id:guid}/transcript", GetTranscript)
            .WithName("GetTranscript")
            .WithSummary("A practice session's conversation so far, optionally only the messages after a sequence number. "
                + "For whoever may read the session at the sessions service; 404 for anyone else.")
            .RequireAuthorization()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return api;
    }

    public static async Task<Results<Ok<Transcript>, ProblemHttpResult>> GetTranscript(
        Guid id,
        [AsParameters] TranscriptServices services,
        HttpContext httpContext,
        CancellationToken cancellationToken,
        [Range(-1, long.MaxValue, ErrorMessage = "after is a sequence number, or -1 for the whole transcript.")] long? after = null)
    {
        // Realtime does not own sessions: sessions decides, judging the caller by the caller's own token.
        var authorization = AuthenticationHeaderValue.TryParse(httpContext.Request.Headers.Authorization, out var header)
            ? header
            : null;
        SessionAccess access;
        try
        {
            access = await services.Sessions.CheckReadAccessAsync(id, authorization, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or TimeoutRejectedException)
        {
            LogSessionsUnavailable(services.Logger, ex, id);
            return TypedResults.Problem(
                "The sessions service is unavailable, so access to the transcript cannot be checked. Try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Sessions service unavailable");
        }

        switch (access)
        {
            case SessionAccess.NotReadable:
                return TypedResults.Problem(
                    $"No practice session has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
            case SessionAccess.Unauthenticated:
                return TypedResults.Problem(
                    "The sessions service did not accept the access token.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized");
        }

        return TypedResults.Ok(await ReadTranscriptAsync(services.Db, id, after, cancellationToken));
    }

    internal static async Task<Transcript> ReadTranscriptAsync(
        RealtimeDbContext db, Guid id, long? after, CancellationToken cancellationToken)
    {
        var messages = db.SessionMessages.AsNoTracking().Where(m => m.PracticeSessionId == id);

        // A turn's index is its place in the whole conversation, whichever part of it is asked for.
        var earlier = 0;
        if (after is { } seq)
        {
            earlier = await messages.CountAsync(m => m.Seq <= seq, cancellationToken);
            messages = messages.Where(m => m.Seq > seq);
        }

        var page = await messages
            .OrderBy(m => m.Seq)
            .Select(m => new { m.Speaker, m.Text, m.CreatedAt })
            .ToListAsync(cancellationToken);

        var turns = page
            .Select((m, i) => new TranscriptTurn(
                earlier + i,
                m.Speaker == Speaker.Learner ? TranscriptSpeaker.Clinician : TranscriptSpeaker.Patient,
                m.Text,
                m.CreatedAt))
            .ToList();
        return new Transcript(turns);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach the sessions service to check access to session {SessionId}")]
    private static partial void LogSessionsUnavailable(ILogger logger, Exception exception, Guid sessionId);
}

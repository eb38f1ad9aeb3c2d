using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Sessions.Apis;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.IntegrationEvents.Events;
using PracticePlatform.Sessions.Model;

namespace Microsoft.AspNetCore.Builder;

public static partial class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/sessions").WithTags("Sessions");

        api.MapPost("/", StartSession)
            .WithName("StartSession")
            .WithSummary("Start practising a published scenario; the session is pinned to the scenario's current version.")
            .RequireAuthorization()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/{id:guid}", GetSession)
            .WithName("GetSession")
            .WithSummary("One practice session, for its learner, an educator of its institution or a platform admin; 404 for anyone else.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id:guid}/end", EndSession)
            .WithName("EndSession")
            .WithSummary("Finish an active session; only the learner who started it may.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    public static async Task<Results<Created<StartedSession>, ValidationProblem, ProblemHttpResult>> StartSession(
        StartSessionRequest request,
        HttpContext http,
        [AsParameters] SessionServices services,
        CancellationToken cancellationToken)
    {
        PublishedScenario? scenario;
        try
        {
            var authorization = AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) ? header : null;
            scenario = await services.Content.FindScenarioAsync(request.ScenarioId, authorization, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or TimeoutRejectedException)
        {
            LogContentUnavailable(services.Logger, ex, request.ScenarioId);
            return TypedResults.Problem(
                "The content service is unavailable, so the scenario cannot be checked. Try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Content service unavailable");
        }

        if (scenario is null)
        {
            return TypedResults.Problem(
                $"The scenario '{request.ScenarioId}' does not exist.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The scenario does not exist");
        }

        var session = new PracticeSession
        {
            LearnerId = services.User.Id,
            InstitutionId = services.User.InstitutionId,
            ScenarioId = scenario.Id,
            ScenarioVersion = scenario.Version,
            Mode = request.Mode,
        };
        services.Db.PracticeSessions.Add(session);
        await services.Db.SaveChangesAsync(cancellationToken);
        services.Metrics.Started(session.Mode);

        var started = new StartedSession(
            session.Id, session.ScenarioId, session.ScenarioVersion, session.Mode, session.Status, RealtimeUrl(services, session.Id));
        return TypedResults.Created($"/v1/sessions/{session.Id}", started);
    }

    public static async Task<Results<Ok<PracticeSessionDetails>, ProblemHttpResult>> GetSession(
        Guid id,
        SessionsDbContext db,
        ICurrentUser user,
        CancellationToken cancellationToken)
    {
        // A session the caller may not read answers exactly like a missing one, so its existence is not revealed.
        var session = await db.PracticeSessions.AsNoTracking().ReadableBy(user)
            .FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return session is null
            ? NoSuchSession(id)
            : TypedResults.Ok(PracticeSessionDetails.From(session));
    }

    public static async Task<Results<Ok<PracticeSessionDetails>, ProblemHttpResult>> EndSession(
        Guid id,
        SessionsDbContext db,
        IEventOutbox outbox,
        SessionMetrics metrics,
        ICurrentUser user,
        CancellationToken cancellationToken)
    {
        var session = await db.PracticeSessions.ReadableBy(user).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null)
        {
            return NoSuchSession(id);
        }

        if (!session.CanBeEndedBy(user))
        {
            return TypedResults.Problem(
                "Only the learner who started a session can end it.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden");
        }

        if (session.Status != SessionStatus.Active)
        {
            return NotActive(session);
        }

        session.Status = SessionStatus.Completed;
        // PostgreSQL keeps microseconds: answer and publish the time exactly as it will be read back.
        var now = DateTimeOffset.UtcNow;
        session.EndedAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        outbox.Add(new PracticeSessionCompleted(
            session.Id, session.ScenarioId, session.ScenarioVersion, session.Mode, session.StartedAt, session.EndedAt.Value,
            session.LearnerId, session.InstitutionId));
        try
        {
            // The row version makes this conditional: of two concurrent requests exactly one saves, with its event.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.PracticeSessions.AsNoTracking().FirstAsync(s => s.Id == id, cancellationToken);
            return NotActive(current);
        }

        metrics.Completed();
        return TypedResults.Ok(PracticeSessionDetails.From(session));
    }

    private static ProblemHttpResult NotActive(PracticeSession session) =>
        TypedResults.Problem(
            $"The session '{session.Id}' is already {session.Status.ToString().ToLowerInvariant()}.",
            statusCode: StatusCodes.Status409Conflict,
            title: "The session is not active");

    private static ProblemHttpResult NoSuchSession(Guid id) =>
        TypedResults.Problem($"No practice session has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The WebSocket address of the session's conversation, as the realtime service is reachable from here.</summary>
    private static Uri RealtimeUrl(SessionServices services, Guid sessionId)
    {
        var http = services.Endpoints.Resolve(new Uri($"http://realtime/v1/realtime/sessions/{sessionId}"));
        return new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach the content service to check scenario {ScenarioId}")]
    private static partial void LogContentUnavailable(ILogger logger, Exception exception, Guid scenarioId);
}

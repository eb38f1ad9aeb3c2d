using System.ComponentModel.DataAnnotations;
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
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/", ListSessions)
            .WithName("ListSessions")
            .WithSummary("The sessions the caller may read, newest first: a learner's own, those of the cohorts an educator teaches, an institution admin's institution, every session for a platform admin; filter by status, learner, cohort or scenario, paged.")
            .RequireAuthorization()
            .Produces<PracticeSessionPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/{id:guid}", GetSession)
            .WithName("GetSession")
            .WithSummary("One practice session, for its learner, an educator of its institution or a platform admin; 404 for anyone else.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}/activity", GetSessionActivity)
            .WithName("GetSessionActivity")
            .WithSummary("A session's activity log (started, conversation, completed, abandoned), oldest first; readable like the session.")
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
        // Voice and video rooms are LiveKit's; without it only text works, and the learner hears so before anything
        // is stored. (realtime issues the room tokens from the same LiveKit settings.)
        if (request.Mode != SessionMode.Text && string.IsNullOrWhiteSpace(services.Configuration["LiveKit:Url"]))
        {
            return TypedResults.Problem(
                $"{ModeName(request.Mode)} practice needs a LiveKit server, and this platform has none configured " +
                "(LiveKit:Url, LiveKit:ApiKey and LiveKit:ApiSecret on sessions and realtime). Practise in text mode instead.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Voice and video are not available");
        }

        var authorization = AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) ? header : null;
        PublishedScenario? scenario;
        try
        {
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

        EntitlementDecision entitlement;
        try
        {
            entitlement = await services.Entitlement.CheckAsync(services.User, authorization, scenario, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or TimeoutRejectedException)
        {
            LogBillingUnavailable(services.Logger, ex, services.User.Id);
            return TypedResults.Problem(
                "The billing service is unavailable, so your plan cannot be checked. Try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Billing service unavailable");
        }

        if (!entitlement.IsAllowed)
        {
            LogNotEntitled(services.Logger, services.User.Id, scenario.Id, entitlement.Reason);
            return TypedResults.Problem(
                entitlement.Reason,
                statusCode: StatusCodes.Status403Forbidden,
                title: "Not entitled to practise",
                extensions: new Dictionary<string, object?> { ["remedy"] = entitlement.Remedy });
        }

        var now = DatabaseTime.Truncate(DateTimeOffset.UtcNow);
        var session = new PracticeSession
        {
            LearnerId = services.User.Id,
            InstitutionId = services.User.InstitutionId,
            CohortId = services.User.CohortId,
            ScenarioId = scenario.Id,
            ScenarioVersion = scenario.Version,
            Mode = request.Mode,
            StartedAt = now,
            LastActivityAt = now,
        };
        services.Db.PracticeSessions.Add(session);
        services.Db.SessionActivities.Add(new SessionActivity
        {
            SessionId = session.Id,
            At = now,
            Kind = SessionActivityKind.Started,
            Detail = $"{ModeName(session.Mode)} session on scenario version {session.ScenarioVersion}",
        });
        services.Outbox.Add(new PracticeSessionStarted(
            session.Id, session.ScenarioId, session.ScenarioVersion, session.Mode, now, session.LearnerId, session.InstitutionId, session.CohortId));
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

    public static async Task<Results<Ok<PracticeSessionPage>, ValidationProblem>> ListSessions(
        SessionsDbContext db,
        ICurrentUser user,
        CancellationToken cancellationToken,
        string? status = null,
        Guid? learnerId = null,
        Guid? cohortId = null,
        Guid? scenarioId = null,
        [Range(1, 10_000)] int page = 1,
        [Range(1, 100)] int pageSize = 20)
    {
        SessionStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<SessionStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) ||
                !status.All(char.IsAsciiLetter))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    [nameof(status)] = ["The status is active, completed or abandoned."],
                });
            }

            wanted = parsed;
        }

        // The same rule as reading one session: a learner lists their own; educators those of the cohorts they
        // teach; institution admins every session of their institution; platform admins every session. The filters
        // narrow that set, never widen it.
        var sessions = db.PracticeSessions.AsNoTracking().ReadableBy(user);
        if (wanted is { } filter)
        {
            sessions = sessions.Where(s => s.Status == filter);
        }

        if (learnerId is { } learner)
        {
            sessions = sessions.Where(s => s.LearnerId == learner);
        }

        if (cohortId is { } cohort)
        {
            sessions = sessions.Where(s => s.CohortId == cohort);
        }

        if (scenarioId is { } scenario)
        {
            sessions = sessions.Where(s => s.ScenarioId == scenario);
        }

        var total = await sessions.CountAsync(cancellationToken);
        var items = await sessions
            .OrderByDescending(s => s.StartedAt)
            .ThenByDescending(s => s.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PracticeSessionPage(items.Select(PracticeSessionDetails.From).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<SessionActivityLog>, ProblemHttpResult>> GetSessionActivity(
        Guid id,
        SessionsDbContext db,
        ICurrentUser user,
        CancellationToken cancellationToken)
    {
        if (!await db.PracticeSessions.ReadableBy(user).AnyAsync(s => s.Id == id, cancellationToken))
        {
            return NoSuchSession(id);
        }

        var items = await db.SessionActivities.AsNoTracking()
            .Where(a => a.SessionId == id)
            .OrderBy(a => a.At)
            .ThenBy(a => a.Id)
            .Select(a => new SessionActivityItem(a.At, a.Kind, a.Detail))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new SessionActivityLog(items));
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

        // The row version makes this conditional: of two concurrent requests exactly one saves, with its event. A
        // conflict can also be a conversation report moving the last activity on: then the session is still active
        // and ending it is tried again on the row as it now is.
        for (var attempt = 1; ; attempt++)
        {
            if (session.Status != SessionStatus.Active)
            {
                return NotActive(session);
            }

            var now = DatabaseTime.Truncate(DateTimeOffset.UtcNow);
            session.Status = SessionStatus.Completed;
            session.EndedAt = now;
            session.LastActivityAt = now > session.LastActivityAt ? now : session.LastActivityAt;
            db.SessionActivities.Add(new SessionActivity { SessionId = session.Id, At = now, Kind = SessionActivityKind.Completed });
            outbox.Add(new PracticeSessionCompleted(
                session.Id, session.ScenarioId, session.ScenarioVersion, session.Mode, session.StartedAt, now,
                session.LearnerId, session.InstitutionId, session.CohortId));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxEndAttempts)
            {
                // Forget this attempt's changes, the log entry and the outbox row included.
                db.ChangeTracker.Clear();
                session = await db.PracticeSessions.FirstAsync(s => s.Id == id, cancellationToken);
            }
        }

        metrics.Completed();
        return TypedResults.Ok(PracticeSessionDetails.From(session));
    }

    private const int MaxEndAttempts = 5;

    private static string ModeName(SessionMode mode) => mode.ToString().ToLowerInvariant();

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Learner {LearnerId} may not start scenario {ScenarioId}: {Reason}")]
    private static partial void LogNotEntitled(ILogger logger, Guid learnerId, Guid scenarioId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach the billing service to check whether learner {LearnerId} may practise")]
    private static partial void LogBillingUnavailable(ILogger logger, Exception exception, Guid learnerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach the content service to check scenario {ScenarioId}")]
    private static partial void LogContentUnavailable(ILogger logger, Exception exception, Guid scenarioId);
}

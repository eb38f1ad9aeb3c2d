using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PracticePlatform.Realtime.Conversations;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The live conversation: <c>GET /v1/realtime/sessions/{id}?access_token=&lt;jwt&gt;[&amp;after=&lt;seq&gt;]</c>
/// upgraded to a WebSocket (protocol in <see cref="ConversationProtocol"/>). Only the learner who started the
/// session talks in it, and only while it is active; sessions, which owns sessions, is asked with the learner's own
/// token before the socket is accepted, so refusals are ordinary HTTP problems.
/// </summary>
public static partial class ConversationApi
{
    public static IEndpointRouteBuilder MapConversationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/realtime/sessions/{id:guid}", Connect)
            .WithTags("Conversation")
            .WithName("Converse")
            .WithSummary("The session's conversation as a WebSocket (token in ?access_token=; ?after=<seq> replays what was missed).")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<IResult> Connect(
        Guid id,
        HttpContext http,
        [FromServices] SessionsClient sessions,
        [FromServices] ConversationStore store,
        [FromServices] ConversationConnection connection,
        [FromServices] ICurrentUser user,
        [FromServices] ILoggerFactory loggers,
        CancellationToken cancellationToken,
        long? after = null)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("This is the session's WebSocket: connect with a WebSocket client (ws:// or wss://).", statusCode: StatusCodes.Status400BadRequest);
        }

        if (after is < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["after is the last seq the client saw (0 for everything)."] });
        }

        var token = AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            ? header
            : new AuthenticationHeaderValue("Bearer", http.Request.Query["access_token"].ToString());
        SessionLookup lookup;
        try
        {
            lookup = await sessions.GetSessionAsync(id, token, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or TimeoutRejectedException)
        {
            LogSessionsUnavailable(loggers.CreateLogger(typeof(ConversationApi)), ex, id);
            return TypedResults.Problem("The sessions service is unavailable, so the session cannot be checked. Try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        switch (lookup)
        {
            case { Access: SessionAccess.Unauthenticated }:
                return TypedResults.Problem("The sessions service did not accept the access token.", statusCode: StatusCodes.Status401Unauthorized);
            case { Access: SessionAccess.NotReadable } or { Session: null }:
                return TypedResults.Problem($"No practice session has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var session = lookup.Session!;
        if (session.LearnerId != user.Id)
        {
            return TypedResults.Problem("Only the learner who started the session talks in it; read its transcript instead.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!string.Equals(session.Status, "active", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"The session is {session.Status.ToLowerInvariant()}: its conversation is over. Its transcript stays readable.", statusCode: StatusCodes.Status409Conflict);
        }

        await store.EnsureAsync(session, cancellationToken);
        var expires = long.TryParse(http.User.FindFirstValue("exp"), out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : (DateTimeOffset?)null;
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await connection.RunAsync(socket, new ConversationContext(id, session.ScenarioId, session.ScenarioVersion, token, expires), after, cancellationToken);
        return Results.Empty;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach the sessions service to check session {SessionId} for a conversation")]
    private static partial void LogSessionsUnavailable(ILogger logger, Exception exception, Guid sessionId);
}

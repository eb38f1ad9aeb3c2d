using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.LiveKit;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The answer to a join-token request: where to connect and the token to connect with.</summary>
public sealed record LiveKitJoinResponse(string Url, string Token);

/// <summary>What the LiveKit endpoints need besides the request.</summary>
/// <remarks>[FromServices] keeps the request validator out of these objects (it would walk into the DbContext).</remarks>
public sealed record LiveKitServices(
    [FromServices] RealtimeDbContext Db,
    [FromServices] IOptions<LiveKitOptions> Options,
    [FromServices] TimeProvider Time,
    [FromServices] ILogger<LiveKitServices> Logger);

public static partial class LiveKitApi
{
    /// <summary>LiveKit's events are a few kilobytes; anything far larger is not one of them.</summary>
    private const int MaxWebhookBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapLiveKitApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/realtime").WithTags("LiveKit");

        api.MapPost("/sessions/{id:guid}/livekit-token", IssueJoinToken)
            .WithName("IssueLiveKitJoinToken")
            .WithSummary("A LiveKit join token for the learner of an active voice or video session, and the LiveKit URL "
                + "to connect to. The session's room is created on first use; each call issues a new token.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/livekit/webhook", ReceiveWebhook)
            .WithName("ReceiveLiveKitWebhook")
            .WithSummary("LiveKit's webhook (room_started, room_finished, participant_joined, participant_left, ...). "
                + "Anonymous, verified by the signed token in the Authorization header; each event id takes effect once.")
            .AllowAnonymous()
            .Accepts<LiveKitWebhookPayload>("application/webhook+json", "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    /// <summary>The kind of call a session's mode ("voice", "video") is; null for text (or a mode not known here).</summary>
    private static LiveKitRoomMode? CallModeOf(string? mode) => mode?.ToUpperInvariant() switch
    {
        "VOICE" => LiveKitRoomMode.Voice,
        "VIDEO" => LiveKitRoomMode.Video,
        _ => null,
    };

    public static async Task<Results<Ok<LiveKitJoinResponse>, ProblemHttpResult>> IssueJoinToken(
        Guid id,
        [AsParameters] LiveKitServices services,
        [FromServices] SessionsClient sessions,
        [FromServices] LiveKitTokenIssuer issuer,
        [FromServices] ICurrentUser user,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        // Sessions owns practice sessions and decides who may read one, judging the caller by the caller's own token.
        var authorization = AuthenticationHeaderValue.TryParse(httpContext.Request.Headers.Authorization, out var header)
            ? header
            : null;
        SessionLookup lookup;
        try
        {
            lookup = await sessions.GetSessionAsync(id, authorization, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or TimeoutRejectedException)
        {
            LogSessionsUnavailable(services.Logger, ex, id);
            return TypedResults.Problem(
                "The sessions service is unavailable, so the session cannot be checked. Try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Sessions service unavailable");
        }

        if (lookup is not { Access: SessionAccess.Readable, Session: { } session })
        {
            return lookup.Access == SessionAccess.Unauthenticated
                ? TypedResults.Problem(
                    "The sessions service did not accept the access token.",
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized")
                : TypedResults.Problem($"No practice session has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        if (session.LearnerId != user.Id)
        {
            return TypedResults.Problem(
                "Only the learner who started a session can join its call.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden");
        }

        if (CallModeOf(session.Mode) is not { } mode)
        {
            return TypedResults.Problem(
                $"The session '{id}' is a {session.Mode} session: only voice and video sessions have a LiveKit call.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The session has no call");
        }

        if (!string.Equals(session.Status, "active", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                $"The session '{id}' is {session.Status}: its call can only be joined while it is active.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The session is not active");
        }

        var options = services.Options.Value;
        if (!options.IsConfigured)
        {
            return TypedResults.Problem(
                LiveKitOptions.NotConfiguredDetail,
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "LiveKit is not configured");
        }

        var now = Microseconds(services.Time.GetUtcNow());
        var room = await FindOrCreateRoomAsync(services.Db, id, mode, now, cancellationToken);

        var identity = user.Id.ToString();
        var name = Truncate(user.Name ?? user.Email ?? "Learner", LiveKitParticipant.MaxNameLength)!;
        var metadata = JsonSerializer.Serialize(new { practiceSessionId = id, role = "learner" });
        var token = issuer.Issue(room.Name, identity, name, canPublishVideo: room.Mode == LiveKitRoomMode.Video, metadata);

        services.Db.Add(new LiveKitParticipant
        {
            RoomId = room.Id,
            Identity = identity,
            UserId = user.Id,
            Name = name,
            TokenIssuedAt = now,
        });
        await services.Db.SaveChangesAsync(cancellationToken);
        LogTokenIssued(services.Logger, room.Name, id, identity);

        return TypedResults.Ok(new LiveKitJoinResponse(options.Url!, token.Token));
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveWebhook(
        HttpRequest request,
        [AsParameters] LiveKitServices services,
        [FromServices] LiveKitWebhookVerifier verifier,
        CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(
                $"A LiveKit webhook body is at most {MaxWebhookBodyBytes} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large.");
        }

        var verification = verifier.Verify(request.Headers.Authorization, body);
        if (verification is not { IsValid: true, Event: { } webhook })
        {
            LogWebhookRefused(services.Logger, verification.Failure);
            return verification.Failure switch
            {
                LiveKitWebhookFailure.NotConfigured => TypedResults.Problem(
                    verification.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "LiveKit is not configured"),
                LiveKitWebhookFailure.MalformedBody => TypedResults.Problem(
                    verification.Detail, statusCode: StatusCodes.Status400BadRequest, title: "Not a LiveKit webhook event"),
                _ => TypedResults.Problem(
                    verification.Detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
            };
        }

        if (webhook.Id!.Length > LiveKitWebhookEvent.MaxEventIdLength || webhook.Event!.Length > LiveKitWebhookEvent.MaxEventLength)
        {
            return TypedResults.Problem(
                "The webhook's event id or event name is longer than any LiveKit sends.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Not a LiveKit webhook event");
        }

        var db = services.Db;
        if (await db.Set<LiveKitWebhookEvent>().AnyAsync(e => e.EventId == webhook.Id, cancellationToken))
        {
            LogWebhookReplayed(services.Logger, webhook.Id, webhook.Event);
            return TypedResults.Ok();
        }

        var now = Microseconds(services.Time.GetUtcNow());
        var at = webhook.CreatedAt > 0 ? DateTimeOffset.FromUnixTimeSeconds(webhook.CreatedAt) : now;
        db.Add(new LiveKitWebhookEvent
        {
            EventId = webhook.Id,
            Event = webhook.Event,
            RoomName = Truncate(webhook.Room?.Name, LiveKitRoom.MaxNameLength),
            OccurredAt = at,
            ProcessedAt = now,
        });
        await ApplyAsync(db, webhook, at, services.Logger, cancellationToken);

        try
        {
            // The event's row and its effects are saved together: an event either took effect and is recorded, or
            // neither, and LiveKit's retry applies it then.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            // The same event, delivered twice at once: the other delivery applied it.
            LogWebhookReplayed(services.Logger, webhook.Id, webhook.Event);
        }

        return TypedResults.Ok();
    }

    /// <summary>Applies one event to the room and participant rows it concerns; events about rooms realtime did not
    /// name (another application sharing the LiveKit project) and events it has no use for change nothing.</summary>
    private static async Task ApplyAsync(
        RealtimeDbContext db, LiveKitWebhookPayload webhook, DateTimeOffset at, ILogger logger, CancellationToken cancellationToken)
    {
        if (webhook.Room?.Name is not { Length: > 0 } roomName)
        {
            return;
        }

        var room = await db.Set<LiveKitRoom>().FirstOrDefaultAsync(r => r.Name == roomName, cancellationToken);
        if (room is null)
        {
            LogWebhookForUnknownRoom(logger, webhook.Event!, roomName);
            return;
        }

        var roomSid = Truncate(webhook.Room.Sid, LiveKitRoom.MaxSidLength);
        switch (webhook.Event)
        {
            case "room_started":
                room.Sid = roomSid ?? room.Sid;
                room.StartedAt ??= at;
                room.FinishedAt = null;
                break;

            case "room_finished":
                // A late room_finished of an earlier instance of the room must not close the one now running.
                if (roomSid is null || room.Sid is null || room.Sid == roomSid)
                {
                    room.FinishedAt = at;
                }

                break;

            case "participant_joined":
                await ParticipantJoinedAsync(db, room, webhook.Participant, at, logger, cancellationToken);
                break;

            case "participant_left" or "participant_connection_aborted":
                await ParticipantLeftAsync(db, room, webhook.Participant, at, cancellationToken);
                break;
        }
    }

    private static async Task ParticipantJoinedAsync(
        RealtimeDbContext db,
        LiveKitRoom room,
        LiveKitWebhookParticipant? participant,
        DateTimeOffset at,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        if (participant?.Identity is not { Length: > 0 } identity)
        {
            return;
        }

        // The newest token not used yet, else the newest one (a participant reconnecting with a token it used before).
        var tokens = await db.Set<LiveKitParticipant>()
            .Where(p => p.RoomId == room.Id && p.Identity == identity)
            .OrderByDescending(p => p.TokenIssuedAt)
            .ToListAsync(cancellationToken);
        var row = tokens.FirstOrDefault(p => p.JoinedAt is null) ?? tokens.FirstOrDefault();
        if (row is null)
        {
            // Someone realtime issued no token to, e.g. an agent with a token of its own: nothing of ours to update.
            LogUnknownParticipant(logger, identity, room.Name);
            return;
        }

        row.Sid = Truncate(participant.Sid, LiveKitRoom.MaxSidLength);
        row.JoinedAt = at;
        row.LeftAt = null;
    }

    private static async Task ParticipantLeftAsync(
        RealtimeDbContext db, LiveKitRoom room, LiveKitWebhookParticipant? participant, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (participant is null)
        {
            return;
        }

        var participants = db.Set<LiveKitParticipant>().Where(p => p.RoomId == room.Id);
        var sid = Truncate(participant.Sid, LiveKitRoom.MaxSidLength);
        var row = sid is null ? null : await participants.FirstOrDefaultAsync(p => p.Sid == sid, cancellationToken);
        if (row is null && participant.Identity is { Length: > 0 } identity)
        {
            row = await participants
                .Where(p => p.Identity == identity && p.JoinedAt != null && p.LeftAt == null)
                .OrderByDescending(p => p.JoinedAt)
                .FirstOrDefaultAsync(cancellationToken);
        }

        if (row is not null && row.LeftAt is null)
        {
            row.LeftAt = at;
        }
    }

    /// <summary>The session's room, recorded on the first token. Two first requests at once both try to insert it;
    /// the unique practice session id lets one win and the other reads the winner's row.</summary>
    private static async Task<LiveKitRoom> FindOrCreateRoomAsync(
        RealtimeDbContext db, Guid sessionId, LiveKitRoomMode mode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rooms = db.Set<LiveKitRoom>();
        var room = await rooms.FirstOrDefaultAsync(r => r.PracticeSessionId == sessionId, cancellationToken);
        if (room is not null)
        {
            return room;
        }

        room = new LiveKitRoom { PracticeSessionId = sessionId, Name = LiveKitRoom.NameFor(sessionId), Mode = mode, CreatedAt = now };
        rooms.Add(room);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return room;
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            db.Entry(room).State = EntityState.Detached;
            return await rooms.FirstAsync(r => r.PracticeSessionId == sessionId, cancellationToken);
        }
    }

    /// <summary>The exact body bytes (the signature covers them), or null when it is larger than any LiveKit event.
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxWebhookBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxWebhookBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>PostgreSQL keeps microseconds: store times exactly as they will be read back.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));

    private static string? Truncate(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach the sessions service to check session {SessionId} for a LiveKit token")]
    private static partial void LogSessionsUnavailable(ILogger logger, Exception exception, Guid sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a LiveKit token for room {Room} of session {SessionId} to {Identity}")]
    private static partial void LogTokenIssued(ILogger logger, string room, Guid sessionId, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a LiveKit webhook: {Failure}")]
    private static partial void LogWebhookRefused(ILogger logger, LiveKitWebhookFailure failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "LiveKit webhook event {EventId} ({Event}) was already processed")]
    private static partial void LogWebhookReplayed(ILogger logger, string eventId, string @event);

    [LoggerMessage(Level = LogLevel.Information, Message = "LiveKit webhook {Event} is about room {Room}, which realtime did not create")]
    private static partial void LogWebhookForUnknownRoom(ILogger logger, string @event, string room);

    [LoggerMessage(Level = LogLevel.Information, Message = "Participant {Identity} joined LiveKit room {Room} without a token from realtime")]
    private static partial void LogUnknownParticipant(ILogger logger, string identity, string room);
}

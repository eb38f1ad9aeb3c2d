using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PracticePlatform.Realtime.Infrastructure;

namespace PracticePlatform.Realtime.LiveKit;

/// <summary>What the sessions service says about one practice session, as far as a call needs it. Mode and status are
/// the lower-case names sessions answers with ("text", "voice", "video"; "active", "completed", "abandoned").</summary>
public sealed record LiveKitSessionView(Guid Id, Guid LearnerId, string Mode, string Status)
{
    public bool IsActive => string.Equals(Status, "active", StringComparison.OrdinalIgnoreCase);

    /// <summary>The kind of call the session is, or null for a text session (or a mode this code does not know).</summary>
    public LiveKitRoomMode? CallMode => Mode.ToUpperInvariant() switch
    {
        "VOICE" => LiveKitRoomMode.Voice,
        "VIDEO" => LiveKitRoomMode.Video,
        _ => null,
    };
}

/// <summary>The answer to <see cref="LiveKitSessionLookup.FindAsync"/>: the session when the caller may read it.</summary>
public sealed record LiveKitSessionLookupResult(SessionAccess Access, LiveKitSessionView? Session);

/// <summary>
/// Reads one practice session from the sessions service with the caller's own access token, like
/// <see cref="SessionsClient"/>, but keeps the answer: a call needs the session's learner, mode and status.
/// </summary>
public sealed class LiveKitSessionLookup(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The session as the caller holding <paramref name="authorization"/> sees it. Any failure other than
    /// 401, 403 and 404 throws (<see cref="HttpRequestException"/>, or a resilience exception): the caller decides what
    /// an unavailable sessions service means.</summary>
    public async Task<LiveKitSessionLookupResult> FindAsync(
        Guid sessionId, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/sessions/{sessionId}", UriKind.Relative));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                var session = await ReadAsync(response, sessionId, cancellationToken);
                return new LiveKitSessionLookupResult(SessionAccess.Readable, session);
            case HttpStatusCode.NotFound or HttpStatusCode.Forbidden:
                return new LiveKitSessionLookupResult(SessionAccess.NotReadable, null);
            case HttpStatusCode.Unauthorized:
                return new LiveKitSessionLookupResult(SessionAccess.Unauthenticated, null);
            default:
                throw new HttpRequestException(
                    $"The sessions service answered the read of session {sessionId} with {(int)response.StatusCode}.",
                    null,
                    response.StatusCode);
        }
    }

    private static async Task<LiveKitSessionView> ReadAsync(
        HttpResponseMessage response, Guid sessionId, CancellationToken cancellationToken)
    {
        LiveKitSessionView? session;
        try
        {
            session = await response.Content.ReadFromJsonAsync<LiveKitSessionView>(Json, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new HttpRequestException($"The sessions service answered the read of session {sessionId} with unreadable JSON.", ex);
        }

        return session is { Mode: not null, Status: not null } && session.LearnerId != Guid.Empty
            ? session
            : throw new HttpRequestException(
                $"The sessions service's answer for session {sessionId} lacks its learnerId, mode or status.");
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace PracticePlatform.Realtime.Infrastructure;

/// <summary>What the sessions service says about the caller and one practice session.</summary>
public enum SessionAccess
{
    /// <summary>The caller may read the session.</summary>
    Readable,

    /// <summary>The session does not exist, or the caller may not read it (sessions does not say which).</summary>
    NotReadable,

    /// <summary>Sessions did not accept the caller's access token.</summary>
    Unauthenticated,
}

/// <summary>Asks the sessions service, which owns practice sessions, whether a caller may read one, by reading it with
/// the caller's own access token: sessions applies its rules and realtime does not copy them.</summary>
public sealed class SessionsClient(HttpClient http)
{
    /// <summary>The session read with the caller's own token: sessions decides whether they may. Any answer other
    /// than 200, 401, 403 or 404 throws.</summary>
    public async Task<SessionLookup> GetSessionAsync(Guid sessionId, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/sessions/{sessionId}", UriKind.Relative));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => new SessionLookup(SessionAccess.Readable, await response.Content.ReadFromJsonAsync<PracticeSessionInfo>(cancellationToken)),
            HttpStatusCode.NotFound or HttpStatusCode.Forbidden => new SessionLookup(SessionAccess.NotReadable, null),
            HttpStatusCode.Unauthorized => new SessionLookup(SessionAccess.Unauthenticated, null),
            var status => throw new HttpRequestException(
                $"The sessions service answered the read of session {sessionId} with {(int)status}.", null, status),
        };
    }

    /// <summary>Sessions' answer for the caller holding <paramref name="authorization"/>. Any other failure throws: the
    /// caller decides what an unavailable sessions service means.</summary>
    public async Task<SessionAccess> CheckReadAccessAsync(
        Guid sessionId, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken) =>
        (await GetSessionAsync(sessionId, authorization, cancellationToken)).Access;
}

/// <summary>The part of a practice session the conversation needs, as sessions describes it.</summary>
public sealed record PracticeSessionInfo(Guid Id, Guid LearnerId, Guid? InstitutionId, Guid ScenarioId, int ScenarioVersion, string Mode, string Status);

/// <summary>A session read as the caller, or why not.</summary>
public sealed record SessionLookup(SessionAccess Access, PracticeSessionInfo? Session);

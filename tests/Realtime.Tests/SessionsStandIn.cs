using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Testing;

namespace PracticePlatform.Realtime.Tests;

/// <summary>
/// A real HTTP server on a loopback port that answers the read of one practice session the way the sessions service
/// does for the caller whose token it is given: 200 for the learner who started it, an educator or institution admin
/// of its institution, or a platform admin; 404 for anyone else; 401 without a token. It reads the token's claims
/// without checking the signature: realtime has already checked it, and what is tested here is that realtime forwards
/// the caller's own token and acts on the answer. The sessions service itself cannot be hosted here: its Program would
/// clash with realtime's in one test assembly.
/// </summary>
public sealed class SessionsStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, StandInSession> _sessions = new();
    private readonly ConcurrentQueue<string?> _authorizations = new();

    private SessionsStandIn(WebApplication app) => _app = app;

    /// <summary>The address realtime is pointed at, e.g. http://127.0.0.1:41234.</summary>
    public string Address => _app.Urls.Single();

    /// <summary>The Authorization header of every read that reached this server, in order.</summary>
    public IReadOnlyList<string?> Authorizations => [.. _authorizations];

    /// <summary>When set, every read is answered with this status instead.</summary>
    public int? FailWith { get; set; }

    public static async Task<SessionsStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SessionsStandIn(app);

        app.MapGet("/v1/sessions/{id:guid}", standIn.GetSession);

        await app.StartAsync();
        return standIn;
    }

    /// <summary>Starts a session for <paramref name="learner"/> and returns its id.</summary>
    public Guid Start(TestUser learner, string mode = "text", string status = "active")
    {
        var id = Guid.CreateVersion7();
        _sessions[id] = new StandInSession(learner, Guid.CreateVersion7(), 1, mode) { Status = status };
        return id;
    }

    /// <summary>The session as the stand-in describes it.</summary>
    public StandInSession Session(Guid id) => _sessions[id];

    /// <summary>Stops listening, so the next call to it is refused.</summary>
    public Task StopAsync() => _app.StopAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult GetSession(Guid id, HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        _authorizations.Enqueue(authorization);
        if (FailWith is { } status)
        {
            return Results.Problem("The stand-in was told to fail.", statusCode: status);
        }

        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Results.Problem("An access token is required.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var token = new JsonWebToken(authorization["Bearer ".Length..]);
        return _sessions.TryGetValue(id, out var session) && MayRead(token, session.Learner)
            ? Results.Json(new
            {
                id,
                learnerId = session.Learner.Id,
                institutionId = session.Learner.InstitutionId,
                cohortId = session.Learner.CohortId,
                scenarioId = session.ScenarioId,
                scenarioVersion = session.ScenarioVersion,
                mode = session.Mode,
                status = session.Status,
            })
            : Results.Problem($"No practice session has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
    }

    // The sessions service's rule (LearnerOwnedAccess), read from the token's claims.
    private static bool MayRead(JsonWebToken caller, TestUser learner)
    {
        var roles = caller.Claims.Where(c => c.Type == PlatformClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var taught = caller.Claims.Where(c => c.Type == PlatformClaims.TaughtCohort).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        caller.TryGetPayloadValue<string>(PlatformClaims.Tenant, out var tenant);
        var sameInstitution = tenant is not null && tenant == learner.InstitutionId?.ToString();
        return roles.Contains(PlatformRoles.PlatformAdmin)
            || caller.Subject == learner.Id.ToString()
            || (sameInstitution && roles.Contains(PlatformRoles.InstitutionAdmin))
            || (sameInstitution && roles.Contains(PlatformRoles.Educator) && learner.CohortId is { } cohort && taught.Contains(cohort.ToString()));
    }
}

/// <summary>A practice session the stand-in knows; tests change its status to play an ended session.</summary>
public sealed record StandInSession(TestUser Learner, Guid ScenarioId, int ScenarioVersion, string Mode)
{
    public required string Status { get; set; }
}

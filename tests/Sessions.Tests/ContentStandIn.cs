using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PracticePlatform.Sessions.Tests;

/// <summary>
/// A real HTTP server on a loopback port that answers content's read of one scenario the way the content service does,
/// so sessions' HttpClient, service discovery and resilience pipeline run unchanged. The content service itself
/// cannot be hosted here: its Program would clash with sessions' in one test assembly.
/// </summary>
public sealed class ContentStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, int> _published = new();
    private int _requests;

    private ContentStandIn(WebApplication app) => _app = app;

    /// <summary>The address sessions is pointed at, e.g. http://127.0.0.1:41234.</summary>
    public string Address => _app.Urls.Single();

    /// <summary>How many scenario reads reached this server.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The Authorization header of the last scenario read.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>When set, every read is answered with this status instead of a scenario.</summary>
    public int? FailWith { get; set; }

    public static async Task<ContentStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new ContentStandIn(app);

        app.MapGet("/v1/content/scenarios/{id:guid}", standIn.GetScenario);

        await app.StartAsync();
        return standIn;
    }

    /// <summary>Publishes a scenario at <paramref name="version"/> and returns its id.</summary>
    public Guid Publish(int version)
    {
        var id = Guid.CreateVersion7();
        _published[id] = version;
        return id;
    }

    /// <summary>Stops listening, so the next call to it is refused.</summary>
    public Task StopAsync() => _app.StopAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult GetScenario(Guid id, HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        LastAuthorization = request.Headers.Authorization;
        if (FailWith is { } status)
        {
            return Results.Problem("The stand-in was told to fail.", statusCode: status);
        }

        return _published.TryGetValue(id, out var version)
            ? Results.Json(Scenario(id, version))
            : Results.Problem($"No scenario has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>The shape of content's ScenarioDetails.</summary>
    private static object Scenario(Guid id, int version) => new
    {
        id,
        title = "Chest pain in primary care",
        clinicalArea = "Primary care",
        difficulty = "intermediate",
        framework = "Calgary-Cambridge",
        summary = "Mr David Okafor, 58, has two days of exertional chest tightness.",
        version,
        estimatedMinutes = 15,
        publishedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
    };
}

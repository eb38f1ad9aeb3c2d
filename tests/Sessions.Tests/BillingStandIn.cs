using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PracticePlatform.Sessions.Tests;

/// <summary>
/// A real HTTP server on a loopback port answering billing's entitlement check
/// (<c>GET /v1/billing/entitlements/me</c>) the way the billing service does, so sessions' policy, HttpClient, service
/// discovery and resilience pipeline run unchanged. It allows everyone unless told to refuse or fail.
/// </summary>
public sealed class BillingStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BillingStandIn(WebApplication app) => _app = app;

    /// <summary>The address sessions is pointed at (<c>services:billing:http:0</c>).</summary>
    public string Address => _app.Urls.Single();

    /// <summary>The Authorization header of every entitlement check, in order.</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>When set, the answer is a refusal with this reason and remedy.</summary>
    public (string Reason, string Remedy)? Refusal { get; set; }

    /// <summary>When set, every check is answered with this status instead.</summary>
    public int? FailWith { get; set; }

    public static async Task<BillingStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new BillingStandIn(app);
        app.MapGet("/v1/billing/entitlements/me", standIn.Entitlement);
        await app.StartAsync();
        return standIn;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Entitlement(HttpRequest request)
    {
        Authorizations.Enqueue(request.Headers.Authorization);
        if (FailWith is { } status)
        {
            return Results.Problem("The stand-in was told to fail.", statusCode: status);
        }

        return Refusal is { } refusal
            ? Results.Json(new { canStartSession = false, reason = refusal.Reason, remedy = refusal.Remedy, plan = "free", sessionsRemaining = 0, periodEnds = "2026-12-01T00:00:00Z" })
            : Results.Json(new { canStartSession = true, reason = (string?)null, plan = "institution-seat", sessionsRemaining = (int?)null, periodEnds = "2026-12-01T00:00:00Z" });
    }
}

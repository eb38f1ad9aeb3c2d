using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace PracticePlatform.ServiceDefaults.Tests;

/// <summary>The web app calls every service from the browser: its origin, and only its origin, passes CORS.</summary>
public sealed class CorsTests : IAsyncDisposable
{
    private const string WebOrigin = "http://localhost:5100";
    private readonly List<WebApplication> _apps = [];

    [Fact]
    public async Task A_preflight_from_the_configured_origin_is_allowed_before_authentication()
    {
        using var client = await StartAsync($"{WebOrigin}, https://app.example.org/");

        using var response = await client.SendAsync(Preflight(WebOrigin, "POST", "authorization,content-type"));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent, "a preflight carries no token and must not meet a 401");
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(WebOrigin);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant()
            .Should().Contain("authorization").And.Contain("content-type");
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().Should().Contain("POST");
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_CORS_headers()
    {
        using var client = await StartAsync(WebOrigin);

        using var response = await client.SendAsync(Preflight("http://evil.example", "POST", "authorization"));

        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task A_request_from_the_configured_origin_may_read_Location_and_the_401_problem()
    {
        using var client = await StartAsync(WebOrigin);

        using var created = await client.SendAsync(WithOrigin(new HttpRequestMessage(HttpMethod.Post, "/open"), WebOrigin));
        using var refused = await client.SendAsync(WithOrigin(new HttpRequestMessage(HttpMethod.Get, "/secured"), WebOrigin));

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(WebOrigin);
        created.Headers.GetValues("Access-Control-Expose-Headers").Single().Should().Contain("Location");
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.GetValues("Access-Control-Allow-Origin").Should().ContainSingle()
            .Which.Should().Be(WebOrigin, "the app shows the problem's detail");
    }

    [Fact]
    public async Task Without_configured_origins_no_CORS_headers_are_sent()
    {
        using var client = await StartAsync(origins: null);

        using var preflight = await client.SendAsync(Preflight(WebOrigin, "GET", "authorization"));
        using var request = await client.SendAsync(WithOrigin(new HttpRequestMessage(HttpMethod.Post, "/open"), WebOrigin));

        preflight.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        request.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task An_origin_with_a_path_stops_the_service_at_start()
    {
        var start = () => StartAsync("http://localhost:5100/app");

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain("Cors:AllowedOrigins");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<HttpClient> StartAsync(string? origins)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        if (origins is not null)
        {
            builder.Configuration["Cors:AllowedOrigins"] = origins;
        }

        builder.AddServiceDefaults();
        var app = builder.Build();
        _apps.Add(app);
        app.MapDefaultEndpoints();
        app.MapPost("/open", () => TypedResults.Created("/open/1", new { id = 1 })).AllowAnonymous();
        app.MapGet("/secured", () => "secret");
        await app.StartAsync();
        return app.GetTestClient();
    }

    private static HttpRequestMessage Preflight(string origin, string method, string headers)
    {
        var request = WithOrigin(new HttpRequestMessage(HttpMethod.Options, "/secured"), origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static HttpRequestMessage WithOrigin(HttpRequestMessage request, string origin)
    {
        request.Headers.Add("Origin", origin);
        return request;
    }
}

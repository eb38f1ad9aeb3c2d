using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.SystemTests;

/// <summary>The real topology as processes, started exactly as ./run.sh starts it (LocalPlatform), on free ports.</summary>
public sealed class TopologyTests : IAsyncLifetime
{
    private LocalPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await LocalPlatform.StartAsync(ThrowawayPlatform.Options("topology"));

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Every_service_reports_Healthy_with_its_database_and_Redis_and_the_web_host_with_the_built_app()
    {
        using var http = new HttpClient();
        _platform.Services.Select(s => s.Resource.Name).Should().BeEquivalentTo(PlatformTopology.Services.Select(s => s.Name));

        foreach (var service in _platform.Services)
        {
            var response = await http.GetAsync(new Uri(service.Url, "/health"));
            response.StatusCode.Should().Be(HttpStatusCode.OK, service.Resource.Name);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>();
            report.GetProperty("status").GetString().Should().Be("Healthy", service.Resource.Name);
            // The web host has no state; its own check says whether the app is built (test.sh builds it first).
            string[] checks = service.Resource.Database is { } database ? [database, PlatformTopology.RedisResource] : ["web-app"];
            report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
                .Should().Contain(checks);
        }
    }

    [Fact]
    public async Task Every_service_serves_its_OpenAPI_document()
    {
        using var http = new HttpClient();
        foreach (var service in _platform.Services)
        {
            var document = await http.GetFromJsonAsync<JsonElement>(new Uri(service.Url, "/openapi/v1.json"));
            document.GetProperty("paths").EnumerateObject().Should().NotBeEmpty(service.Resource.Name);
        }
    }

    [Fact]
    public async Task Sessions_reaches_content_by_name_through_service_discovery()
    {
        var learner = await SignedInLearner.RegisterAsync(_platform);
        using var http = learner.CreateClient();
        var scenarios = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("content"), "/v1/content/scenarios"));
        var scenario = scenarios.GetProperty("items")[0];

        var response = await http.PostAsJsonAsync(
            new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"),
            new { scenarioId = scenario.GetProperty("id").GetGuid(), mode = "text" });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        session.GetProperty("scenarioVersion").GetInt32().Should().Be(scenario.GetProperty("version").GetInt32());
        session.GetProperty("realtimeUrl").GetString().Should().StartWith($"ws://localhost:{_platform.ServiceUrl("realtime").Port}/");
    }

    /// <summary>The users service signs the token; sessions and users accept it with the keys sessions fetched from
    /// users' JWKS by name (service discovery), between real processes.</summary>
    [Fact]
    public async Task An_access_token_from_users_is_accepted_by_sessions_and_none_is_a_401_problem()
    {
        var learner = await SignedInLearner.RegisterAsync(_platform);
        using var http = learner.CreateClient();
        using var anonymous = new HttpClient();
        var scenarios = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("content"), "/v1/content/scenarios"));
        var start = new { scenarioId = scenarios.GetProperty("items")[0].GetProperty("id").GetGuid(), mode = "text" };
        var sessions = new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions");

        var refused = await anonymous.PostAsJsonAsync(sessions, start);
        var started = await http.PostAsJsonAsync(sessions, start);
        var me = await http.GetAsync(new Uri(_platform.ServiceUrl("users"), "/v1/users/me"));

        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Equal("Bearer");
        started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        me.StatusCode.Should().Be(HttpStatusCode.OK, await me.Content.ReadAsStringAsync());
        var profile = await me.Content.ReadFromJsonAsync<JsonElement>();
        profile.GetProperty("email").GetString().Should().Be(learner.Email);
        profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("learner");
        profile.GetProperty("institution").GetProperty("joinCode").GetString().Should().Be("DEMO");
    }

    [Fact]
    public async Task Ending_a_session_opens_its_feedback_report_in_ai_through_an_event()
    {
        // The learner who starts the session is the one who may end it and read its feedback.
        var learner = await SignedInLearner.RegisterAsync(_platform);
        using var http = learner.CreateClient();
        var scenarios = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("content"), "/v1/content/scenarios"));
        var started = await http.PostAsJsonAsync(
            new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"),
            new { scenarioId = scenarios.GetProperty("items")[0].GetProperty("id").GetGuid(), mode = "text" });
        started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var feedback = new Uri(_platform.ServiceUrl("ai"), $"/v1/ai/feedback/{sessionId}");
        (await http.GetAsync(feedback)).StatusCode.Should().Be(HttpStatusCode.NotFound, "no report exists while the session runs");

        (await http.PostAsync(new Uri(_platform.ServiceUrl("sessions"), $"/v1/sessions/{sessionId}/end"), null)).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        HttpResponseMessage response;
        while ((response = await http.GetAsync(feedback)).StatusCode == HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("pending");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.SystemTests;

/// <summary>
/// Billing decides who may practise, through the real services: a learner on the free tier starts and ends their
/// allowance of sessions, billing counts each start from sessions' event, and the next start is refused by sessions
/// with billing's reason and what to do about it.
/// </summary>
public sealed class EntitlementJourneyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private LocalPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await LocalPlatform.StartAsync(ThrowawayPlatform.Options("entitlement") with
    {
        Services = ["users", "content", "sessions", "billing"],

        // Realtime does not run here; its address is only used to form each session's URL.
        ServiceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["sessions"] = new Dictionary<string, string> { ["services__realtime__http__0"] = "http://localhost:5104" },
        },
    });

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task A_learner_who_has_used_the_free_allowance_is_refused_a_new_session_with_the_reason_and_the_remedy()
    {
        var learner = await SignedInLearner.RegisterAsync(_platform);
        using var http = learner.CreateClient();
        var scenarios = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("content"), "/v1/content/scenarios"));
        var scenarioId = scenarios.GetProperty("items")[0].GetProperty("id").GetGuid();
        var first = await EntitlementAsync(http);
        first.GetProperty("canStartSession").GetBoolean().Should().BeTrue();
        var allowance = first.GetProperty("sessionsRemaining").GetInt32();
        allowance.Should().BeGreaterThan(0, "a new learner has the free tier's sessions");

        for (var used = 1; used <= allowance; used++)
        {
            var started = await http.PostAsJsonAsync(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"), new { scenarioId, mode = "text" });
            started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
            var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            (await http.PostAsync(new Uri(_platform.ServiceUrl("sessions"), $"/v1/sessions/{id}/end"), null)).StatusCode.Should().Be(HttpStatusCode.OK);
            await WaitUntilRemainingAsync(http, allowance - used);
        }

        var refused = await http.PostAsJsonAsync(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"), new { scenarioId, mode = "text" });

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, await refused.Content.ReadAsStringAsync());
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().Should().Be("Not entitled to practise");
        var entitlement = await EntitlementAsync(http);
        entitlement.GetProperty("canStartSession").GetBoolean().Should().BeFalse();
        problem.GetProperty("detail").GetString().Should().Be(entitlement.GetProperty("reason").GetString());
        problem.GetProperty("remedy").GetString().Should().NotBeNullOrWhiteSpace();
        var sessions = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"));
        sessions.GetProperty("total").GetInt32().Should().Be(allowance, "the refused start stored nothing");
    }

    private async Task<JsonElement> EntitlementAsync(HttpClient http) =>
        await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("billing"), "/v1/billing/entitlements/me"));

    private async Task WaitUntilRemainingAsync(HttpClient http, int remaining)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await EntitlementAsync(http)).GetProperty("sessionsRemaining").GetInt32() != remaining)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "billing should count the started session within {0}", Patience);
            await Task.Delay(100);
        }
    }
}

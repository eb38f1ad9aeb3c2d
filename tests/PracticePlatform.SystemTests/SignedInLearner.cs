using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.SystemTests;

/// <summary>
/// A learner who joined the demo institution (join code DEMO, or DEMO-COHORT for its demo cohort, which the demo
/// educator teaches) and logged in at the running users service, the way the web app signs someone up: the access
/// token is a real one, which every other service checks against the users service's published keys.
/// </summary>
internal sealed record SignedInLearner(string Email, string AccessToken)
{
    private const string DemoJoinCode = "DEMO";

    public static async Task<SignedInLearner> RegisterAsync(LocalPlatform platform, string joinCode = DemoJoinCode)
    {
        ArgumentNullException.ThrowIfNull(platform);
        using var http = new HttpClient { BaseAddress = platform.ServiceUrl("users") };
        var email = $"learner-{Guid.NewGuid():N}@example.test";
        var password = $"bedside-{Guid.NewGuid():N}";

        var registered = await http.PostAsJsonAsync(
            "/v1/users/register", new { email, password, displayName = "System Test Learner", institutionCode = joinCode });
        registered.StatusCode.Should().Be(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());

        return await SignInAsync(platform, email, password);
    }

    /// <summary>Signs in an existing account, such as one of the demo accounts the users service seeds.</summary>
    public static async Task<SignedInLearner> SignInAsync(LocalPlatform platform, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(platform);
        using var http = new HttpClient { BaseAddress = platform.ServiceUrl("users") };
        var login = await http.PostAsJsonAsync("/v1/users/login", new { email, password });
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        return new SignedInLearner(email, tokens.GetProperty("accessToken").GetString()!);
    }

    /// <summary>A client whose every request carries the learner's access token.</summary>
    public HttpClient CreateClient() => new() { DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", AccessToken) } };
}

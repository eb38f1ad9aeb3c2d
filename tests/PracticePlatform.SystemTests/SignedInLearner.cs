using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.SystemTests;

/// <summary>
/// A learner who joined the demo institution (join code DEMO) and logged in at the running users service, the way the
/// web app signs someone up: the access token is a real one, which every other service checks against the users
/// service's published keys.
/// </summary>
internal sealed record SignedInLearner(string Email, string AccessToken)
{
    private const string DemoJoinCode = "DEMO";

    public static async Task<SignedInLearner> RegisterAsync(LocalPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        using var http = new HttpClient { BaseAddress = platform.ServiceUrl("users") };
        var email = $"learner-{Guid.NewGuid():N}@example.test";
        var password = $"bedside-{Guid.NewGuid():N}";

        var registered = await http.PostAsJsonAsync(
            "/v1/users/register", new { email, password, displayName = "System Test Learner", institutionCode = DemoJoinCode });
        registered.StatusCode.Should().Be(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());

        var login = await http.PostAsJsonAsync("/v1/users/login", new { email, password });
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        return new SignedInLearner(email, tokens.GetProperty("accessToken").GetString()!);
    }

    /// <summary>A client whose every request carries the learner's access token.</summary>
    public HttpClient CreateClient() => new() { DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", AccessToken) } };
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;
using PracticePlatform.Users.Infrastructure.Security;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Tests;

[Collection(ServersCollection.Name)]
public sealed class ThrottlingAndKeysTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly UsersFactory _factory = new(servers);
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory.Settings["LoginThrottling:MaxAttemptsPerAddress"] = "3";
        _factory.Settings["Authentication:KeyPublishLead"] = "00:00:00";
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task One_address_gets_a_limited_number_of_login_attempts_whatever_the_accounts()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var response = await _client.PostAsJsonAsync("/v1/users/login", new { email = $"guess{i}.{Guid.NewGuid():N}@example.org", password = "not-a-real-password" });
            statuses.Add(response.StatusCode);
            if (i == 3)
            {
                (await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("detail").GetString().Should().Contain("address");
                response.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
            }
        }

        statuses.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task After_a_key_rotation_old_tokens_still_verify_and_new_ones_carry_the_new_key()
    {
        var login = await _client.PostAsJsonAsync("/v1/users/login", new { email = "educator@demo.practiceplatform.test", password = "bedside-manner-2026" });
        var before = (await login.Content.ReadFromJsonAsync<TokenResponse>())!;
        var store = _factory.Services.GetRequiredService<SigningKeyStore>();

        (await store.RotateAsync(force: true)).Should().BeTrue();

        var jwks = await _client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        kids.Should().HaveCountGreaterThanOrEqualTo(2).And.Contain(Kid(before.AccessToken), "the old key stays published until its tokens expire");
        var refreshed = await (await _client.PostAsJsonAsync("/v1/users/refresh", new { refreshToken = before.RefreshToken })).Content.ReadFromJsonAsync<TokenResponse>();
        Kid(refreshed!.AccessToken).Should().NotBe(Kid(before.AccessToken));
        kids.Should().Contain(Kid(refreshed.AccessToken));
        foreach (var token in new[] { before.AccessToken, refreshed.AccessToken })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await _client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    private static string? Kid(string jwt)
    {
        var segment = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
        var header = JsonDocument.Parse(Convert.FromBase64String(segment.PadRight(segment.Length + ((4 - (segment.Length % 4)) % 4), '='))).RootElement;
        return header.GetProperty("kid").GetString();
    }
}

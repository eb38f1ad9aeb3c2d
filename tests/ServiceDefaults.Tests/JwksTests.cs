using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Testing;

namespace PracticePlatform.ServiceDefaults.Tests;

/// <summary>
/// The default key source: the users service's JWKS document, reached as <c>users</c> through service discovery,
/// fetched once and cached, and fetched again when a token names a key it has not seen (key rotation).
/// </summary>
public sealed class JwksTests : IAsyncLifetime
{
    /// <summary>Stands in for the users service: serves the current key's JWKS and counts the fetches.</summary>
    private sealed class UsersStandIn : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _fetches;

        public UsersStandIn()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapGet(PlatformTokens.JwksPath, () =>
            {
                Interlocked.Increment(ref _fetches);
                return Results.Text(Keys.Jwks(), "application/json");
            });
        }

        public TestTokens Keys { get; set; } = new();

        public int Fetches => Volatile.Read(ref _fetches);

        public string Address => _app.Urls.Single();

        public Task StartAsync() => _app.StartAsync();

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private readonly UsersStandIn _users = new();
    private readonly List<TestTokens> _retired = [];
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _users.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration["services:users:http:0"] = _users.Address;
        builder.Configuration["Authentication:JwksRefreshInterval"] = "00:00:01";
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.MapGet("/me", (ICurrentUser user) => user.Id).RequireAuthorization();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _users.DisposeAsync();
        _users.Keys.Dispose();
        _retired.ForEach(t => t.Dispose());
    }

    private async Task<HttpStatusCode> GetMeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await _client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task A_token_signed_with_a_published_key_is_accepted_and_the_keys_are_fetched_once()
    {
        for (var i = 0; i < 10; i++)
        {
            (await GetMeAsync(_users.Keys.Issue(TestUser.Learner(Guid.CreateVersion7())))).Should().Be(HttpStatusCode.OK);
        }

        _users.Fetches.Should().Be(1);
    }

    [Fact]
    public async Task After_the_users_service_rotates_its_key_tokens_with_the_new_kid_are_accepted()
    {
        var user = TestUser.Learner(Guid.CreateVersion7());
        (await GetMeAsync(_users.Keys.Issue(user))).Should().Be(HttpStatusCode.OK);

        _retired.Add(_users.Keys);
        _users.Keys = new TestTokens();
        var rotated = _users.Keys.Issue(user);

        // The first token with an unknown kid forces a refresh (at most one per JwksRefreshInterval), which may finish
        // after that request has been refused; a client that retries shortly after gets in.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await GetMeAsync(rotated) != HttpStatusCode.OK)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the new key should be fetched after a forced refresh");
            await Task.Delay(100);
        }

        _users.Fetches.Should().BeGreaterThanOrEqualTo(2);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PracticePlatform.Redis;
using PracticePlatform.Testing;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Tests;

[Collection(ServersCollection.Name)]
public sealed class AccountsTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Password = "stethoscope-lanyard-42";
    private readonly UsersFactory _factory = new(servers);
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static string NewEmail() => $"learner.{Guid.NewGuid():N}@example.org";

    private async Task<Guid> RegisterAsync(string email, string password = Password)
    {
        var response = await _client.PostAsJsonAsync("/v1/users/register", new { email, password, displayName = "Alex Learner", institutionCode = "demo" });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<HttpResponseMessage> LoginAsync(string email, string password = Password, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/login") { Content = JsonContent.Create(new { email, password }) };
        if (userAgent is not null)
        {
            request.Headers.UserAgent.ParseAdd(userAgent);
        }

        return await _client.SendAsync(request);
    }

    private async Task<TokenResponse> TokensAsync(string email, string? userAgent = null)
    {
        var response = await LoginAsync(email, userAgent: userAgent);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _client.PostAsJsonAsync("/v1/users/refresh", new { refreshToken });

    private async Task<HttpResponseMessage> WithTokenAsync(HttpMethod method, string path, string accessToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await _client.SendAsync(request);
    }

    private async Task<T> QueryAsync<T>(Func<UsersDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<UsersDbContext>());
    }

    [Fact]
    public async Task A_learner_registers_with_a_join_code_logs_in_and_reads_their_profile()
    {
        var email = NewEmail();
        var id = await RegisterAsync(email);

        var tokens = await TokensAsync(email);
        var me = await WithTokenAsync(HttpMethod.Get, "/v1/users/me", tokens.AccessToken);

        tokens.ExpiresIn.Should().Be(900);
        tokens.RefreshToken.Should().NotBeNullOrWhiteSpace();
        me.StatusCode.Should().Be(HttpStatusCode.OK);
        var profile = (await me.Content.ReadFromJsonAsync<UserProfile>())!;
        profile.Id.Should().Be(id);
        profile.Email.Should().Be(email);
        profile.Roles.Should().Equal("learner");
        profile.Institution!.JoinCode.Should().Be("DEMO");
        profile.EmailVerified.Should().BeFalse();
        var stored = await QueryAsync(db => db.Users.SingleAsync(u => u.Id == id));
        stored.PasswordHash.Should().NotContain(Password).And.StartWith("AQAAAA", "ASP.NET Core Identity's v3 PBKDF2 format");
    }

    [Fact]
    public async Task The_access_token_names_the_user_tenant_roles_and_login_session_and_its_key_is_published()
    {
        var email = NewEmail();
        var id = await RegisterAsync(email);
        var tokens = await TokensAsync(email);

        var parts = tokens.AccessToken.Split('.');
        var header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
        var payload = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        var jwks = await _client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");

        header.GetProperty("alg").GetString().Should().Be("RS256");
        var kid = header.GetProperty("kid").GetString();
        jwks.GetProperty("keys").EnumerateArray().Should().Contain(k => k.GetProperty("kid").GetString() == kid && k.GetProperty("kty").GetString() == "RSA");
        jwks.GetProperty("keys").EnumerateArray().Select(k => k.TryGetProperty("d", out var _)).Should().OnlyContain(hasPrivate => !hasPrivate, "only public halves are published");
        payload.GetProperty("sub").GetString().Should().Be(id.ToString());
        payload.GetProperty("tid").GetString().Should().NotBeNullOrEmpty();
        payload.GetProperty("role").EnumerateArray().Select(r => r.GetString()).Should().Equal("learner");
        payload.GetProperty("iss").GetString().Should().Be("practiceplatform-users");
        payload.GetProperty("aud").GetString().Should().Be("practiceplatform");
        Guid.TryParse(payload.GetProperty("sid").GetString(), out _).Should().BeTrue();
    }

    [Fact]
    public async Task A_second_registration_with_the_same_address_in_another_case_is_a_409_problem_and_changes_nothing()
    {
        var email = NewEmail();
        var id = await RegisterAsync(email);

        var response = await _client.PostAsJsonAsync("/v1/users/register",
            new { email = email.ToUpperInvariant(), password = "another-long-passphrase", displayName = "Impostor", institutionCode = "DEMO" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var normalized = email.ToUpperInvariant();
        var users = await QueryAsync(db => db.Users.Where(u => u.NormalizedEmail == normalized).ToListAsync());
        users.Should().ContainSingle().Which.Id.Should().Be(id);
        (await LoginAsync(email)).StatusCode.Should().Be(HttpStatusCode.OK, "the first account's password still works");
    }

    [Theory]
    [InlineData("short", "password")]
    [InlineData("password1234", "password")]
    [InlineData("aaaaaaaaaaaaaaaa", "password")]
    [InlineData("my-alex-learner-pass", "password")]
    public async Task A_weak_password_is_a_400_problem_naming_the_field_and_creates_nothing(string password, string field)
    {
        var email = NewEmail();

        var response = await _client.PostAsJsonAsync("/v1/users/register", new { email, password, displayName = "Alex Learner", institutionCode = "DEMO" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(field);
        var normalized = email.ToUpperInvariant();
        (await QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == normalized))).Should().Be(0);
    }

    [Theory]
    [InlineData(""""{"email":"a@example.org","password":"stethoscope-lanyard-42","displayName":"A","institutionCode":"DEMO"""")]
    [InlineData("""{"email":"a@example.org","password":"stethoscope-lanyard-42","displayName":"A"}""")]
    [InlineData("""{"email":"not-an-address","password":"stethoscope-lanyard-42","displayName":"A","institutionCode":"DEMO"}""")]
    [InlineData("""{"email":42,"password":"stethoscope-lanyard-42","displayName":"A","institutionCode":"DEMO"}""")]
    [InlineData("""{"email":"a@example.org","password":["x"],"displayName":"A","institutionCode":"DEMO"}""")]
    public async Task A_registration_that_cannot_be_read_or_is_invalid_is_a_400_problem(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/v1/users/register", content);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Oversized_fields_are_a_400_problem()
    {
        var response = await _client.PostAsJsonAsync("/v1/users/register", new
        {
            email = new string('a', 250) + "@example.org",
            password = new string('x', 10) + new string('y', 200),
            displayName = new string('n', 101),
            institutionCode = "DEMO",
        });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Contain(["email", "password", "displayName"]);
    }

    [Fact]
    public async Task An_unknown_join_code_is_a_422_problem()
    {
        var response = await _client.PostAsJsonAsync("/v1/users/register",
            new { email = NewEmail(), password = Password, displayName = "Alex", institutionCode = "NO-SUCH-SCHOOL" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString().Should().Contain("NO-SUCH-SCHOOL");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_account_get_the_same_401_problem()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        var wrong = await (await LoginAsync(email, "not-the-right-password")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var unknown = await (await LoginAsync(NewEmail(), "not-the-right-password")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        wrong.GetProperty("detail").GetString().Should().Be(unknown.GetProperty("detail").GetString());
        var prefix = email.ToUpperInvariant() + ":";
        var failures = await QueryAsync(db => db.AuditEvents.CountAsync(a => a.Type == AuditEventTypes.LoginFailed && a.Detail!.StartsWith(prefix)));
        failures.Should().Be(1);
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account_even_for_the_right_password_and_not_other_accounts()
    {
        var email = NewEmail();
        var other = NewEmail();
        await RegisterAsync(email);
        await RegisterAsync(other);

        for (var i = 0; i < 5; i++)
        {
            (await LoginAsync(email, $"wrong-password-{i}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var locked = await LoginAsync(email);

        await locked.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        locked.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.FromMinutes(14));
        (await LoginAsync(other)).StatusCode.Should().Be(HttpStatusCode.OK);
        var redis = _factory.Services.GetRequiredService<RedisClient>();
        await redis.DeleteAsync($"users:login-failures:{email.ToUpperInvariant()}");
        (await LoginAsync(email)).StatusCode.Should().Be(HttpStatusCode.OK, "the lockout lives in Redis and ends with its key");
        var prefix = email.ToUpperInvariant() + ":";
        (await QueryAsync(db => db.AuditEvents.CountAsync(a => a.Type == AuditEventTypes.LoginThrottled && a.Detail!.StartsWith(prefix))))
            .Should().Be(1);
    }

    [Fact]
    public async Task A_refresh_token_is_exchanged_once_and_reusing_it_ends_the_whole_login()
    {
        var email = NewEmail();
        var userId = await RegisterAsync(email);
        var first = await TokensAsync(email);

        var refreshed = await RefreshAsync(first.RefreshToken);
        refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
        var second = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>())!;
        second.RefreshToken.Should().NotBe(first.RefreshToken);
        (await WithTokenAsync(HttpMethod.Get, "/v1/users/me", second.AccessToken)).StatusCode.Should().Be(HttpStatusCode.OK);

        var reuse = await RefreshAsync(first.RefreshToken);

        (await reuse.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("title").GetString().Should().Be("Refresh token reused");
        await (await RefreshAsync(second.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var session = await QueryAsync(db => db.LoginSessions.SingleAsync(s => s.UserId == userId));
        session.RevokedAt.Should().NotBeNull();
        session.RevokedReason.Should().Be("refresh token reused");
        (await QueryAsync(db => db.AuditEvents.CountAsync(a => a.Type == AuditEventTypes.TokenReused && a.ActorId == userId))).Should().Be(1);
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_give_one_new_pair()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var tokens = await TokensAsync(email);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(tokens.RefreshToken)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().BeLessThanOrEqualTo(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).Should().BeGreaterThanOrEqualTo(3);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("")]
    public async Task An_unknown_or_empty_refresh_token_is_a_4xx_problem(string refreshToken)
    {
        var response = await RefreshAsync(refreshToken);

        await response.ShouldBeProblemAsync(refreshToken.Length == 0 ? HttpStatusCode.BadRequest : HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logging_out_ends_the_login_so_its_refresh_token_stops_working()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var tokens = await TokensAsync(email);

        var logout = await WithTokenAsync(HttpMethod.Post, "/v1/users/logout", tokens.AccessToken);

        logout.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await RefreshAsync(tokens.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var stillUsed = await WithTokenAsync(HttpMethod.Get, "/v1/users/me", tokens.AccessToken);
        (await stillUsed.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()
            .Should().Contain("login session of this access token has ended", "the access token stops working at once, not when it expires");
    }

    [Fact]
    public async Task A_user_lists_their_logins_and_revokes_one_of_them_but_not_someone_elses()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var laptop = await TokensAsync(email, "Laptop/1.0");
        var phone = await TokensAsync(email, "Phone/2.0");
        var stranger = NewEmail();
        await RegisterAsync(stranger);
        var strangers = await TokensAsync(stranger);

        var listed = (await (await WithTokenAsync(HttpMethod.Get, "/v1/users/me/sessions", laptop.AccessToken)).Content.ReadFromJsonAsync<List<LoginSessionSummary>>())!;

        listed.Should().HaveCount(2);
        listed.Single(s => s.Current).UserAgent.Should().Be("Laptop/1.0");
        var phoneSession = listed.Single(s => !s.Current);
        phoneSession.UserAgent.Should().Be("Phone/2.0");
        phoneSession.IpAddress.Should().Be(_factory.ClientAddress.ToString());

        var byStranger = await WithTokenAsync(HttpMethod.Delete, $"/v1/users/me/sessions/{phoneSession.Id}", strangers.AccessToken);
        await byStranger.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await RefreshAsync(phone.RefreshToken)).StatusCode.Should().Be(HttpStatusCode.OK, "a stranger cannot revoke it");

        var revoke = await WithTokenAsync(HttpMethod.Delete, $"/v1/users/me/sessions/{phoneSession.Id}", laptop.AccessToken);
        revoke.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await RefreshAsync(phone.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await WithTokenAsync(HttpMethod.Get, "/v1/users/me", phone.AccessToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await WithTokenAsync(HttpMethod.Get, "/v1/users/me", laptop.AccessToken)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RefreshAsync(laptop.RefreshToken)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Forged_and_missing_tokens_are_401_problems()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var token = (await TokensAsync(email)).AccessToken;
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url(parts[1])).Replace("\"learner\"", "\"platform-admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{ToBase64Url(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        var unsigned = $"{ToBase64Url("""{"alg":"none","typ":"JWT"}"""u8.ToArray())}.{parts[1]}.";

        foreach (var forged in new[] { tampered, unsigned, "garbage", token[..^4] + "AAAA" })
        {
            var response = await WithTokenAsync(HttpMethod.Get, "/v1/users/me", forged);
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        await (await _client.GetAsync("/v1/users/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Registering_publishes_UserRegistered_through_the_outbox()
    {
        var email = NewEmail();
        var id = await RegisterAsync(email);
        var redis = _factory.Services.GetRequiredService<RedisClient>();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement? published = null;
        while (published is null && DateTime.UtcNow < deadline)
        {
            published = (await redis.StreamRangeAsync("events:UserRegistered"))
                .Select(e => JsonDocument.Parse(e.Fields["payload"]).RootElement)
                .Cast<JsonElement?>()
                .FirstOrDefault(p => p!.Value.GetProperty("userId").GetGuid() == id);
            await Task.Delay(50);
        }

        published.Should().NotBeNull();
        published!.Value.GetProperty("email").GetString().Should().Be(email);
        published.Value.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("learner");
    }

    [Fact]
    public async Task The_audit_log_refuses_changes_and_deletions()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        var update = () => QueryAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET outcome = 'Failure'"));
        var delete = () => QueryAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events"));

        (await update.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("append-only");
        (await delete.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("append-only");
        (await QueryAsync(db => db.AuditEvents.CountAsync(a => a.Type == AuditEventTypes.Registered))).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_user_changes_their_name_and_preferences_and_bad_values_are_400_problems_that_change_nothing()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var token = (await TokensAsync(email)).AccessToken;

        var updated = await PatchMeAsync(token, new { displayName = "Alex R. Learner", locale = "de-DE", emailNotifications = false });
        var badLocale = await PatchMeAsync(token, new { locale = "xx-not-a-locale" });
        var emptyName = await PatchMeAsync(token, new { displayName = "  " });

        updated.StatusCode.Should().Be(HttpStatusCode.OK);
        await badLocale.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await emptyName.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var me = (await (await WithTokenAsync(HttpMethod.Get, "/v1/users/me", token)).Content.ReadFromJsonAsync<UserProfile>())!;
        me.DisplayName.Should().Be("Alex R. Learner");
        me.Preferences.Locale.Should().Be("de-DE");
        me.Preferences.EmailNotifications.Should().BeFalse();
    }

    private async Task<HttpResponseMessage> PatchMeAsync(string accessToken, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/v1/users/me") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task The_seeded_demo_educator_and_admin_can_log_in()
    {
        foreach (var (accountEmail, password, _, roles, _) in UsersDbSeed.DemoAccounts)
        {
            var response = await LoginAsync(accountEmail, password);
            response.StatusCode.Should().Be(HttpStatusCode.OK, accountEmail);
            var tokens = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
            var me = await (await WithTokenAsync(HttpMethod.Get, "/v1/users/me", tokens.AccessToken)).Content.ReadFromJsonAsync<UserProfile>();
            me!.Roles.Should().Equal(roles);
        }
    }

    private static byte[] Base64Url(string segment)
    {
        var padded = segment.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

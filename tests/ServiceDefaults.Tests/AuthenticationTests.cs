using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Testing;

namespace PracticePlatform.ServiceDefaults.Tests;

/// <summary>A service that calls AddServiceDefaults trusts the users service's tokens and nothing else, and says why
/// it refuses a request in a ProblemDetails body.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private readonly TestTokens _tokens = new();
    private readonly Guid _institution = Guid.CreateVersion7();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration["Authentication:RequireAuthenticatedUserByDefault"] = "true";
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(_tokens.ConfigurationManager);
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGet("/me", (ICurrentUser user) => new
        {
            user.Id,
            user.InstitutionId,
            user.SessionId,
            user.Roles,
            user.Email,
            user.Name,
            user.IsEducator,
            user.IsInstitutionAdmin,
            user.IsPlatformAdmin,
        }).RequireAuthorization();
        _app.MapGet("/teaching", () => "teaching").RequireAuthorization(PlatformPolicies.Educator);
        _app.MapGet("/public", () => "public").AllowAnonymous();
        _app.MapGet("/unannotated", () => "unannotated");
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _tokens.Dispose();
    }

    private Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _client.SendAsync(request);
    }

    [Fact]
    public async Task A_valid_token_is_accepted_and_describes_the_current_user()
    {
        var user = TestUser.Educator(_institution);

        var response = await GetAsync("/me", _tokens.Issue(user));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        me.GetProperty("id").GetGuid().Should().Be(user.Id);
        me.GetProperty("institutionId").GetGuid().Should().Be(_institution);
        me.GetProperty("sessionId").GetGuid().Should().Be(user.SessionId);
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal(PlatformRoles.Educator);
        me.GetProperty("email").GetString().Should().Be(user.Email);
        me.GetProperty("name").GetString().Should().Be(user.Name);
        me.GetProperty("isEducator").GetBoolean().Should().BeTrue();
        me.GetProperty("isInstitutionAdmin").GetBoolean().Should().BeFalse();
        me.GetProperty("isPlatformAdmin").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_platform_admin_has_no_institution_but_every_role_s_rights()
    {
        var me = await (await GetAsync("/me", _tokens.Issue(TestUser.PlatformAdmin()))).Content.ReadFromJsonAsync<JsonElement>();

        me.GetProperty("institutionId").ValueKind.Should().Be(JsonValueKind.Null);
        me.GetProperty("isEducator").GetBoolean().Should().BeTrue();
        me.GetProperty("isInstitutionAdmin").GetBoolean().Should().BeTrue();
        (await GetAsync("/teaching", _tokens.Issue(TestUser.PlatformAdmin()))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task No_token_is_a_401_problem_that_asks_for_one()
    {
        var response = await GetAsync("/me", token: null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be("An access token is required.");
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task An_expired_token_is_a_401_problem_that_says_so()
    {
        var response = await GetAsync("/me", _tokens.Expired(TestUser.Learner(_institution)));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be("The access token has expired.");
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token"));
    }

    public static TheoryData<string> Forgeries => ["unknown key", "alg none", "tampered", "wrong issuer", "wrong audience", "garbage"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_token_is_a_401_problem(string forgery)
    {
        var user = TestUser.Learner(_institution);
        var token = forgery switch
        {
            "unknown key" => _tokens.SignedWithUnknownKey(user),
            "alg none" => _tokens.Unsigned(user),
            "tampered" => _tokens.Tampered(user),
            "wrong issuer" => _tokens.WithIssuer(user, "someone-else"),
            "wrong audience" => _tokens.WithAudience(user, "another-platform"),
            _ => "not.a.token",
        };

        var response = await GetAsync("/me", token);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be("The access token is not valid.");
    }

    [Fact]
    public async Task A_learner_on_an_educator_endpoint_is_a_403_problem()
    {
        var response = await GetAsync("/teaching", _tokens.Issue(TestUser.Learner(_institution)));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString().Should().Be("You do not have access to this.");
    }

    [Fact]
    public async Task An_educator_reaches_the_educator_endpoint()
    {
        (await GetAsync("/teaching", _tokens.Issue(TestUser.Educator(_institution)))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Anonymous_endpoints_health_and_the_API_document_need_no_token()
    {
        foreach (var path in new[] { "/public", "/health", "/alive", "/openapi/v1.json" })
        {
            (await GetAsync(path, token: null)).StatusCode.Should().Be(HttpStatusCode.OK, path);
        }
    }

    [Fact]
    public async Task An_endpoint_that_says_nothing_needs_a_token_when_the_default_requires_one()
    {
        await (await GetAsync("/unannotated", token: null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await GetAsync("/unannotated", _tokens.Issue(TestUser.Learner(_institution)))).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

/// <summary>Secure by default; with the switch turned off, unannotated endpoints are open and explicitly protected ones
/// are not.</summary>
public sealed class AuthenticationSwitchedOffTests
{
    [Fact]
    public async Task Unannotated_endpoints_need_a_token_by_default()
    {
        using var tokens = new TestTokens();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(tokens.ConfigurationManager);
        await using var app = builder.Build();
        app.MapGet("/unannotated", () => "unannotated");
        await app.StartAsync();
        var client = app.GetTestClient();

        await (await client.GetAsync("/unannotated")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Without_the_switch_only_endpoints_that_ask_for_authorization_need_a_token()
    {
        using var tokens = new TestTokens();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration["Authentication:RequireAuthenticatedUserByDefault"] = "false";
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(tokens.ConfigurationManager);
        await using var app = builder.Build();
        app.MapGet("/unannotated", () => "unannotated");
        app.MapGet("/admin", () => "admin").RequireAuthorization(PlatformPolicies.PlatformAdmin);
        await app.StartAsync();
        var client = app.GetTestClient();

        (await client.GetAsync("/unannotated")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await client.GetAsync("/admin")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}

/// <summary>The current user outside a request, or without a token: nothing to read, and no id to invent.</summary>
public sealed class CurrentUserTests
{
    [Fact]
    public void An_anonymous_caller_has_no_id_no_roles_and_reads_no_institution()
    {
        var context = new DefaultHttpContext();
        var user = new CurrentUser(new HttpContextAccessor { HttpContext = context });

        user.IsAuthenticated.Should().BeFalse();
        user.Invoking(u => u.Id).Should().Throw<InvalidOperationException>();
        user.Roles.Should().BeEmpty();
        user.CanReadInstitution(Guid.CreateVersion7()).Should().BeFalse();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace PracticePlatform.Testing;

/// <summary>
/// What every service promises, checked in-process against real PostgreSQL and Redis: readiness including both,
/// liveness without it, migrations applied at start and matching the model, an OpenAPI document, health and the
/// document open to anonymous callers, dead letters for platform admins only, a 401 problem with a
/// <c>WWW-Authenticate</c> challenge for a missing token, and ProblemDetails for requests nothing handles. Each
/// service's test project derives one class from this. Every test holds whether or not
/// <c>Authentication:RequireAuthenticatedUserByDefault</c> is on.
/// </summary>
public abstract class ServiceConformanceTests<TProgram, TContext> : IAsyncLifetime
    where TProgram : class
    where TContext : DbContext
{
    private readonly string _connectionName;

    protected ServiceConformanceTests(ServersFixture servers, string connectionName)
    {
        _connectionName = connectionName;
        Factory = new ServiceFactory<TProgram>(servers, connectionName);
    }

    protected ServiceFactory<TProgram> Factory { get; }

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>A path in the service's own API, expected in its OpenAPI document.</summary>
    protected abstract string DocumentedPath { get; }

    public virtual Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Factory.DisposeAsync();

    [Fact]
    public async Task Health_is_Healthy_and_includes_the_database_and_Redis_checks()
    {
        var response = await Client.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("status").GetString().Should().Be("Healthy");
        report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().Contain([_connectionName, "redis"]);
    }

    [Fact]
    public async Task Alive_reports_liveness_without_the_database()
    {
        var report = await Client.GetFromJsonAsync<JsonElement>("/alive");

        report.GetProperty("status").GetString().Should().Be("Healthy");
        report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Should().Equal("self");
    }

    [Fact]
    public async Task Migrations_are_applied_at_start_and_match_the_model()
    {
        await Client.GetAsync("/alive");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();

        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await db.Database.GetAppliedMigrationsAsync()).Should().NotBeEmpty();
        db.Database.HasPendingModelChanges().Should().BeFalse("every model change needs a migration (scripts/add-migration.sh)");
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_api()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        document.GetProperty("paths").TryGetProperty(DocumentedPath, out _).Should().BeTrue($"{DocumentedPath} is documented");
    }

    /// <summary>A client acting as <paramref name="user"/>; the users service's tests override it to use the tokens
    /// the service itself issues.</summary>
    protected virtual HttpClient CreateClient(TestUser user) => Factory.CreateClient(user);

    /// <summary>The service's dead-letter endpoint: the one endpoint that needs a token (a platform admin's) in every
    /// service.</summary>
    private string DeadLetters => $"{string.Join('/', DocumentedPath.Split('/').Take(3))}/admin/dead-letters";

    [Fact]
    public async Task Operators_can_list_the_dead_letters_of_the_service()
    {
        var response = await CreateClient(TestUser.PlatformAdmin()).GetAsync(DeadLetters);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Fact]
    public async Task Only_platform_admins_can_see_the_dead_letters()
    {
        await (await Client.GetAsync(DeadLetters)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await CreateClient(TestUser.Learner(Guid.CreateVersion7())).GetAsync(DeadLetters))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Anonymous_callers_get_a_401_problem_with_a_WWW_Authenticate_header()
    {
        var response = await Client.GetAsync(DeadLetters);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Equal("Bearer");
        problem.GetProperty("detail").GetString().Should().Be("An access token is required.");
    }

    /// <summary>Signed in, so the answer is the 404 even when every endpoint needs a token (an unknown path is then
    /// a 401 for anonymous callers, which says nothing about what exists).</summary>
    [Fact]
    public async Task A_request_nothing_handles_is_a_404_problem()
    {
        await (await CreateClient(TestUser.PlatformAdmin()).GetAsync("/v1/no-such-thing")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}

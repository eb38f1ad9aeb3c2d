using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Tests;

[Collection(PostgresCollection.Name)]
public sealed class UsersServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly ServiceFactory<Program> _factory = new(postgres, "usersdb");
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Health_is_Healthy_and_includes_the_database_check()
    {
        var response = await _client.GetAsync(new Uri("/health", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("status").GetString().Should().Be("Healthy");
        report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().Contain("usersdb");
    }

    [Fact]
    public async Task Alive_reports_liveness_without_the_database()
    {
        var report = await _client.GetFromJsonAsync<JsonElement>(new Uri("/alive", UriKind.Relative));

        report.GetProperty("status").GetString().Should().Be("Healthy");
        report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString())
            .Should().Equal("self");
    }

    [Fact]
    public async Task Migrations_are_applied_at_start_and_match_the_model()
    {
        _ = await _client.GetAsync(new Uri("/alive", UriKind.Relative));
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();

        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await db.Database.GetAppliedMigrationsAsync()).Should().NotBeEmpty();
        db.Database.HasPendingModelChanges().Should().BeFalse("every model change needs a migration (scripts/add-migration.sh)");
    }

    [Fact]
    public async Task The_demo_institution_is_found_by_its_join_code_in_any_case()
    {
        var institution = await _client.GetFromJsonAsync<InstitutionSummary>(
            new Uri("/v1/users/institutions/by-code/demo", UriKind.Relative));

        institution!.JoinCode.Should().Be(UsersDbSeed.DemoJoinCode);
        institution.Name.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Seeding_twice_keeps_one_demo_institution()
    {
        _ = await _client.GetAsync(new Uri("/alive", UriKind.Relative));
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();

        await UsersDbSeed.SeedAsync(db, scope.ServiceProvider, CancellationToken.None);

        (await db.Institutions.CountAsync(i => i.JoinCode == UsersDbSeed.DemoJoinCode)).Should().Be(1);
    }

    [Fact]
    public async Task A_malformed_join_code_is_a_400_problem_naming_the_field()
    {
        var response = await _client.GetAsync(new Uri("/v1/users/institutions/by-code/x!", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("joinCode", out _).Should().BeTrue();
    }

    [Fact]
    public async Task An_unknown_join_code_is_a_404_problem()
    {
        var response = await _client.GetAsync(new Uri("/v1/users/institutions/by-code/NOPE-123", UriKind.Relative));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain("NOPE-123");
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_api()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        document.GetProperty("paths").TryGetProperty("/v1/users/institutions/by-code/{joinCode}", out _).Should().BeTrue();
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Tests;

[Collection(ServersCollection.Name)]
public sealed class UsersServiceTests(ServersFixture servers) : ServiceConformanceTests<Program, UsersDbContext>(servers, "usersdb")
{
    protected override string DocumentedPath => "/v1/users/institutions/by-code/{joinCode}";

    [Fact]
    public async Task The_demo_institution_is_found_by_its_join_code_in_any_case()
    {
        var institution = await Client.GetFromJsonAsync<InstitutionSummary>("/v1/users/institutions/by-code/demo");

        institution!.JoinCode.Should().Be(UsersDbSeed.DemoJoinCode);
        institution.Name.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Seeding_twice_keeps_one_demo_institution()
    {
        await Client.GetAsync("/alive");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();

        await UsersDbSeed.SeedAsync(db, scope.ServiceProvider, CancellationToken.None);

        (await db.Institutions.CountAsync(i => i.JoinCode == UsersDbSeed.DemoJoinCode)).Should().Be(1);
    }

    [Fact]
    public async Task A_malformed_join_code_is_a_400_problem_naming_the_field()
    {
        var response = await Client.GetAsync("/v1/users/institutions/by-code/x!");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("joinCode", out _).Should().BeTrue();
    }

    [Fact]
    public async Task An_unknown_join_code_is_a_404_problem()
    {
        var response = await Client.GetAsync("/v1/users/institutions/by-code/NOPE-123");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain("NOPE-123");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

[Collection(ServersCollection.Name)]
public sealed class ContentServiceTests(ServersFixture servers) : ServiceConformanceTests<Program, ContentDbContext>(servers, "contentdb")
{
    private const string Scenarios = "/v1/content/scenarios";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    protected override string DocumentedPath => "/v1/content/scenarios/{id}";

    private Task<ScenarioPage?> ListAsync(string query = "") => Client.GetFromJsonAsync<ScenarioPage>($"{Scenarios}{query}", Json);

    [Fact]
    public async Task The_catalogue_lists_every_seeded_scenario_by_title_with_the_total()
    {
        var page = await ListAsync();

        page!.Total.Should().Be(3);
        page.Items.Select(s => s.Id).Should().Equal(
            ContentDbSeed.BreakingBadNewsSpikesId,
            ContentDbSeed.ChestPainPrimaryCareId,
            ContentDbSeed.SmokingCessationMotivationalInterviewingId);
        page.Items.Should().OnlyContain(s => s.Version == 1 && s.EstimatedMinutes > 0 && s.Summary.Length > 0);
    }

    [Theory]
    [InlineData("?clinicalArea=PRIMARY%20CARE", "0199c0de-5ce0-7000-8000-000000000001", "0199c0de-5ce0-7000-8000-000000000003")]
    [InlineData("?clinicalArea=%20oncology%20", "0199c0de-5ce0-7000-8000-000000000002")]
    [InlineData("?difficulty=FOUNDATION", "0199c0de-5ce0-7000-8000-000000000003")]
    [InlineData("?difficulty=advanced", "0199c0de-5ce0-7000-8000-000000000002")]
    [InlineData("?framework=spikes", "0199c0de-5ce0-7000-8000-000000000002")]
    [InlineData("?framework=CALGARY-cambridge", "0199c0de-5ce0-7000-8000-000000000001")]
    [InlineData("?clinicalArea=primary%20care&difficulty=intermediate", "0199c0de-5ce0-7000-8000-000000000001")]
    public async Task Each_filter_narrows_the_catalogue_ignoring_case(string query, params string[] expectedIds)
    {
        var page = await ListAsync(query);

        page!.Items.Select(s => s.Id).Should().BeEquivalentTo(expectedIds.Select(Guid.Parse));
        page.Total.Should().Be(expectedIds.Length);
    }

    [Theory]
    [InlineData("?clinicalArea=Primary%25")]
    [InlineData("?clinicalArea=Primary_care")]
    [InlineData("?framework=SPIKE")]
    public async Task A_filter_matches_the_whole_name_and_not_a_pattern(string query)
    {
        var page = await ListAsync(query);

        page!.Items.Should().BeEmpty();
        page.Total.Should().Be(0);
    }

    [Fact]
    public async Task Paging_slices_the_catalogue_in_order_and_keeps_the_total()
    {
        var whole = await ListAsync();

        var first = await ListAsync("?page=1&pageSize=2");
        var second = await ListAsync("?page=2&pageSize=2");
        var beyond = await ListAsync("?page=3&pageSize=2");

        first!.Items.Select(s => s.Id).Should().Equal(whole!.Items.Take(2).Select(s => s.Id));
        second!.Items.Select(s => s.Id).Should().Equal(whole.Items.Skip(2).Select(s => s.Id));
        beyond!.Items.Should().BeEmpty();
        new[] { first.Total, second.Total, beyond.Total }.Should().AllBeEquivalentTo(3);
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?difficulty=impossible", "difficulty")]
    [InlineData("?difficulty=7", "difficulty")]
    public async Task An_out_of_range_query_is_a_400_problem_naming_the_field(string query, string field)
    {
        var response = await Client.GetAsync($"{Scenarios}{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal(field);
    }

    [Fact]
    public async Task A_scenario_is_found_by_its_id()
    {
        var scenario = await Client.GetFromJsonAsync<ScenarioDetails>($"{Scenarios}/{ContentDbSeed.BreakingBadNewsSpikesId}", Json);

        scenario!.Id.Should().Be(ContentDbSeed.BreakingBadNewsSpikesId);
        scenario.Title.Should().Be("Breaking bad news: a new cancer diagnosis");
        scenario.ClinicalArea.Should().Be("Oncology");
        scenario.Difficulty.Should().Be(Difficulty.Advanced);
        scenario.Framework.Should().Be("SPIKES");
        scenario.Version.Should().Be(1);
        scenario.PublishedAt.Should().Be(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task An_unknown_scenario_id_is_a_404_problem()
    {
        var id = Guid.CreateVersion7();

        var response = await Client.GetAsync($"{Scenarios}/{id}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain(id.ToString());
    }

    [Fact]
    public async Task Seeding_twice_keeps_one_copy_of_each_scenario()
    {
        await Client.GetAsync("/alive");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ContentDbContext>();

        await ContentDbSeed.SeedAsync(db, scope.ServiceProvider, CancellationToken.None);

        var ids = await db.Scenarios.Select(s => s.Id).ToListAsync();
        ids.Should().BeEquivalentTo(
        [
            ContentDbSeed.ChestPainPrimaryCareId,
            ContentDbSeed.BreakingBadNewsSpikesId,
            ContentDbSeed.SmokingCessationMotivationalInterviewingId,
        ]);
    }
}

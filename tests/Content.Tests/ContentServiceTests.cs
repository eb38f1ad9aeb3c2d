using System.Net;
using System.Net.Http.Headers;
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

    private const string ChestPain = $"{Scenarios}/0199c0de-5ce0-7000-8000-000000000001";
    private const string DeadLetters = "/v1/content/admin/dead-letters";
    private const string Replay = $"{DeadLetters}/PracticeSessionCompleted/1700000000000-0/replay";

    private readonly Guid _institutionId = Guid.CreateVersion7();

    protected override string DocumentedPath => "/v1/content/scenarios/{id}";

    /// <summary>Any signed-in user reads the catalogue; a learner is the least of them.</summary>
    private HttpClient Learner => field ??= CreateClient(TestUser.Learner(_institutionId));

    private Task<ScenarioPage?> ListAsync(string query = "") => Learner.GetFromJsonAsync<ScenarioPage>($"{Scenarios}{query}", Json);

    private HttpClient ClientFor(string caller) => caller switch
    {
        "anonymous" => Client,
        "learner" => Learner,
        "learner of another institution" => CreateClient(TestUser.Learner(Guid.CreateVersion7())),
        "educator" => CreateClient(TestUser.Educator(_institutionId)),
        "institution admin" => CreateClient(TestUser.InstitutionAdmin(_institutionId)),
        "platform admin" => CreateClient(TestUser.PlatformAdmin()),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Not a caller of the matrix."),
    };

    [Theory]
    [InlineData("GET", Scenarios, "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", Scenarios, "learner", HttpStatusCode.OK)]
    [InlineData("GET", Scenarios, "learner of another institution", HttpStatusCode.OK)]
    [InlineData("GET", Scenarios, "educator", HttpStatusCode.OK)]
    [InlineData("GET", Scenarios, "institution admin", HttpStatusCode.OK)]
    [InlineData("GET", Scenarios, "platform admin", HttpStatusCode.OK)]
    [InlineData("GET", ChestPain, "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", ChestPain, "learner", HttpStatusCode.OK)]
    [InlineData("GET", ChestPain, "learner of another institution", HttpStatusCode.OK)]
    [InlineData("GET", ChestPain, "educator", HttpStatusCode.OK)]
    [InlineData("GET", ChestPain, "institution admin", HttpStatusCode.OK)]
    [InlineData("GET", ChestPain, "platform admin", HttpStatusCode.OK)]
    [InlineData("GET", DeadLetters, "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", DeadLetters, "learner", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "learner of another institution", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "educator", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "institution admin", HttpStatusCode.Forbidden)]
    [InlineData("GET", DeadLetters, "platform admin", HttpStatusCode.OK)]
    [InlineData("POST", Replay, "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("POST", Replay, "learner", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "learner of another institution", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "educator", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "institution admin", HttpStatusCode.Forbidden)]
    [InlineData("POST", Replay, "platform admin", HttpStatusCode.NotFound)]
    public async Task Each_endpoint_answers_each_caller_as_the_authorization_matrix_says(string method, string path, string caller, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        var response = await ClientFor(caller).SendAsync(request);

        if ((int)expected >= 400)
        {
            await response.ShouldBeProblemAsync(expected);
        }
        else
        {
            response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("/v1/content/scenarios")]
    [InlineData("/v1/content/scenarios/{id}")]
    public async Task The_OpenAPI_document_says_the_catalogue_answers_401_without_a_token(string path)
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses")
            .TryGetProperty("401", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("expired", "The access token has expired.")]
    [InlineData("tampered", "The access token is not valid.")]
    [InlineData("unsigned", "The access token is not valid.")]
    [InlineData("signed with an unknown key", "The access token is not valid.")]
    public async Task A_forged_or_expired_token_is_a_401_problem(string token, string detail)
    {
        var learner = TestUser.Learner(_institutionId);
        var forged = Factory.Tokens.Forged(token, learner);
        using var request = new HttpRequestMessage(HttpMethod.Get, Scenarios);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        var response = await Client.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Be(detail);
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token"));
    }

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
        var response = await Learner.GetAsync($"{Scenarios}{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal(field);
    }

    [Fact]
    public async Task A_scenario_is_found_by_its_id()
    {
        var scenario = await Learner.GetFromJsonAsync<ScenarioDetails>($"{Scenarios}/{ContentDbSeed.BreakingBadNewsSpikesId}", Json);

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

        var response = await Learner.GetAsync($"{Scenarios}/{id}");

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

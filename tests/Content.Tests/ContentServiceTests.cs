using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

/// <summary>
/// The content service in-process against real PostgreSQL and Redis: who may call what, the seed library as the
/// catalogue lists it (filters, paging, validation), tenant visibility, hidden facts never reaching learners, ranked
/// search, the catalogue cache and idempotent seeding.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class ContentServiceTests : ServiceConformanceTests<Program, ContentDbContext>
{
    private const string Scenarios = ContentTestHost.Scenarios;
    private const string DeadLetters = "/v1/content/admin/dead-letters";
    private const string Replay = $"{DeadLetters}/ScenarioPublished/1700000000000-0/replay";

    /// <summary>The seed the matrix reads and new scenarios are copied from.</summary>
    private const string LungCancer = "lung-cancer-breaking-bad-news";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly IReadOnlyList<ScenarioDocument> Seeds = SeedLibrary.Load();

    private readonly ServersFixture _servers;
    private readonly Guid _institutionId = Guid.CreateVersion7();

    public ContentServiceTests(ServersFixture servers)
        : base(servers, "contentdb")
    {
        _servers = servers;
        ContentTestHost.Isolate(Factory);
    }

    protected override string DocumentedPath => "/v1/content/scenarios/{id}";

    /// <summary>Any signed-in user reads the catalogue; a learner is the least of them.</summary>
    private HttpClient Learner => field ??= CreateClient(TestUser.Learner(_institutionId));

    private HttpClient Educator => field ??= CreateClient(TestUser.Educator(_institutionId));

    private static JsonSerializerOptions Json => ContentTestHost.Json;

    private static Guid SeedId(string slug) => ContentTestHost.SeedId(slug);

    private static ScenarioDocument Seed(string slug) => Seeds.Single(d => d.Slug == slug);

    private async Task<ScenarioPage> ListAsync(string query = "", HttpClient? client = null)
    {
        var response = await (client ?? Learner).GetAsync($"{Scenarios}{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ScenarioPage>(Json))!;
    }

    private HttpClient ClientFor(string caller) => caller switch
    {
        "anonymous" => Client,
        "learner" => Learner,
        "learner of another institution" => CreateClient(TestUser.Learner(Guid.CreateVersion7())),
        "educator" => Educator,
        "institution admin" => CreateClient(TestUser.InstitutionAdmin(_institutionId)),
        "platform admin" => CreateClient(TestUser.PlatformAdmin()),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Not a caller of the matrix."),
    };

    /// <summary>A valid new scenario document: a copy of a seed under a slug and title of its own.</summary>
    private static JsonObject NewDocument(string title)
    {
        var document = ContentTestHost.SeedDocument(LungCancer);
        document["slug"] = $"test-{Guid.NewGuid():N}";
        document["title"] = title;
        return document;
    }

    private static async Task<Guid> CreateAsync(HttpClient author, string title)
    {
        var response = await author.PostAsJsonAsync(Scenarios, NewDocument(title));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Creates and publishes a scenario of the test's institution (as its educator); returns its id.</summary>
    private async Task<Guid> PublishOwnAsync(string? title = null)
    {
        var id = await CreateAsync(Educator, title ?? $"Institution scenario {Guid.NewGuid():N}");
        var response = await Educator.PostAsync($"{Scenarios}/{id}/publish", null);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    private async Task<T> WithDbAsync<T>(Func<ContentDbContext, Task<T>> work, ServiceFactory<Program>? factory = null)
    {
        await using var scope = (factory ?? Factory).Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ContentDbContext>());
    }

    /// <summary>Waits until the service's own handler has taken <paramref name="count"/> ScenarioPublished events (the
    /// inbox row commits after the cache generation moved on), so no invalidation is still on its way.</summary>
    private async Task WaitForHandledPublicationsAsync(int count)
    {
        var deadline = DateTimeOffset.UtcNow + Deadline;
        var handled = 0;
        while (DateTimeOffset.UtcNow < deadline)
        {
            handled = await WithDbAsync(db => db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM inbox_messages WHERE event_type = 'ScenarioPublished'")
                .SingleAsync());
            if (handled >= count)
            {
                return;
            }

            await Task.Delay(100);
        }

        handled.Should().BeGreaterThanOrEqualTo(count, "the start-up publications are handled within {0}", Deadline);
    }

    /// <summary>Every string value in <paramref name="json"/>, unescaped, so "didn't" is found even when the
    /// serializer wrote "didn\u0027t".</summary>
    private static string DecodedText(string json)
    {
        var text = new List<string>();
        Collect(JsonDocument.Parse(json).RootElement);
        return string.Join('\n', text);

        void Collect(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        text.Add(property.Name);
                        Collect(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
                case JsonValueKind.String:
                    text.Add(element.GetString()!);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>What only staff may read: hidden facts (and when they are disclosed), the scenario's content items and
    /// the patient's scripted responses.</summary>
    private static IEnumerable<(string What, string Text)> SecretsOf(ScenarioDocument document) =>
        document.Persona.HiddenFacts.SelectMany(f => new[] { ($"hidden fact {f.Code}", f.Fact), ($"disclosedWhen of {f.Code}", f.DisclosedWhen) })
            .Concat(document.ContentItems.Select(i => ($"content item {i.Code}", i.Description)))
            .Concat(document.Flow.Branches.Select((b, n) => ($"patientResponse of branch {n}", b.PatientResponse)));

    private static IEnumerable<string> Leaks(string where, string json, IEnumerable<ScenarioDocument> documents)
    {
        if (json.Contains("hiddenFacts", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{where}: has a hiddenFacts member";
        }

        var decoded = DecodedText(json);
        foreach (var document in documents)
        {
            foreach (var (what, text) in SecretsOf(document))
            {
                if (json.Contains(text, StringComparison.OrdinalIgnoreCase) || decoded.Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    yield return $"{where}: reveals the {what} of {document.Slug}";
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Authorization

    [Theory]
    [InlineData("GET", "list", "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "list", "learner", HttpStatusCode.OK)]
    [InlineData("GET", "list", "learner of another institution", HttpStatusCode.OK)]
    [InlineData("GET", "list", "educator", HttpStatusCode.OK)]
    [InlineData("GET", "list", "institution admin", HttpStatusCode.OK)]
    [InlineData("GET", "list", "platform admin", HttpStatusCode.OK)]
    [InlineData("GET", "seed", "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "seed", "learner", HttpStatusCode.OK)]
    [InlineData("GET", "seed", "learner of another institution", HttpStatusCode.OK)]
    [InlineData("GET", "seed", "educator", HttpStatusCode.OK)]
    [InlineData("GET", "seed", "institution admin", HttpStatusCode.OK)]
    [InlineData("GET", "seed", "platform admin", HttpStatusCode.OK)]
    [InlineData("GET", "own", "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "own", "learner", HttpStatusCode.OK)]
    [InlineData("GET", "own", "learner of another institution", HttpStatusCode.NotFound)]
    [InlineData("GET", "own", "educator", HttpStatusCode.OK)]
    [InlineData("GET", "own", "institution admin", HttpStatusCode.OK)]
    [InlineData("GET", "own", "platform admin", HttpStatusCode.OK)]
    [InlineData("POST", "create", "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("POST", "create", "learner", HttpStatusCode.Forbidden)]
    [InlineData("POST", "create", "learner of another institution", HttpStatusCode.Forbidden)]
    [InlineData("POST", "create", "educator", HttpStatusCode.Created)]
    [InlineData("POST", "create", "institution admin", HttpStatusCode.Created)]
    [InlineData("POST", "create", "platform admin", HttpStatusCode.Created)]
    [InlineData("GET", "dead letters", "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "dead letters", "learner", HttpStatusCode.Forbidden)]
    [InlineData("GET", "dead letters", "learner of another institution", HttpStatusCode.Forbidden)]
    [InlineData("GET", "dead letters", "educator", HttpStatusCode.Forbidden)]
    [InlineData("GET", "dead letters", "institution admin", HttpStatusCode.Forbidden)]
    [InlineData("GET", "dead letters", "platform admin", HttpStatusCode.OK)]
    [InlineData("POST", "replay", "anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("POST", "replay", "learner", HttpStatusCode.Forbidden)]
    [InlineData("POST", "replay", "learner of another institution", HttpStatusCode.Forbidden)]
    [InlineData("POST", "replay", "educator", HttpStatusCode.Forbidden)]
    [InlineData("POST", "replay", "institution admin", HttpStatusCode.Forbidden)]
    [InlineData("POST", "replay", "platform admin", HttpStatusCode.NotFound)]
    public async Task Each_endpoint_answers_each_caller_as_the_authorization_matrix_says(string method, string target, string caller, HttpStatusCode expected)
    {
        var path = target switch
        {
            "list" => Scenarios,
            "seed" => $"{Scenarios}/{SeedId(LungCancer)}",
            "own" => $"{Scenarios}/{await PublishOwnAsync()}",
            "create" => Scenarios,
            "dead letters" => DeadLetters,
            "replay" => Replay,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Not a target of the matrix."),
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (target == "create")
        {
            request.Content = JsonContent.Create(NewDocument($"Matrix scenario {Guid.NewGuid():N}"));
        }

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
    [InlineData("/v1/content/scenarios/{id}/versions")]
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

    // ---------------------------------------------------------------------------------------------------------------
    // The seed library in the catalogue

    [Fact]
    public async Task The_catalogue_lists_every_seed_scenario_at_version_1_ordered_by_title_with_the_total()
    {
        var page = await ListAsync();

        page.Total.Should().Be(Seeds.Count).And.Be(12);
        page.Items.Select(s => s.Id).Should().BeEquivalentTo(Seeds.Select(d => SeedId(d.Slug)));
        page.Items.Should().OnlyContain(s => s.Version == 1 && s.InstitutionId == null);
        foreach (var item in page.Items)
        {
            var seed = Seeds.Single(d => SeedId(d.Slug) == item.Id);
            (item.Title, item.ClinicalArea, item.Difficulty, item.Framework, item.Summary, item.EstimatedMinutes)
                .Should().Be((seed.Title, seed.ClinicalArea, seed.Difficulty, seed.Framework, seed.Summary, seed.EstimatedMinutes));
        }

        // In the database's own collation, as the catalogue promises.
        var titles = Seeds.Select(d => d.Title).ToArray();
        var ordered = await WithDbAsync(db => db.Database
            .SqlQuery<string>($"SELECT t AS \"Value\" FROM unnest({titles}) AS t ORDER BY t")
            .ToListAsync());
        page.Items.Select(s => s.Title).Should().Equal(ordered);
    }

    [Fact]
    public async Task Each_seed_scenario_is_found_by_the_id_derived_from_its_slug()
    {
        foreach (var seed in Seeds)
        {
            var scenario = await Learner.GetFromJsonAsync<ScenarioDetails>($"{Scenarios}/{SeedId(seed.Slug)}", Json);

            scenario!.Id.Should().Be(SeedId(seed.Slug));
            (scenario.Slug, scenario.Title, scenario.Version, scenario.LatestVersion, scenario.View)
                .Should().Be((seed.Slug, seed.Title, 1, 1, ScenarioDetails.LearnerView));
        }
    }

    [Theory]
    [InlineData("clinicalArea", "Primary Care", "primary-care")]
    [InlineData("clinicalArea", "primary-care", "primary-care")]
    [InlineData("clinicalArea", " ONCOLOGY ", "oncology")]
    [InlineData("clinicalArea", "Emergency medicine", "emergency-medicine")]
    [InlineData("difficulty", "FOUNDATION", "foundation")]
    [InlineData("difficulty", "Intermediate", "intermediate")]
    [InlineData("difficulty", "advanced", "advanced")]
    [InlineData("framework", "calgary-cambridge", "calgary-cambridge")]
    [InlineData("framework", "SPIKES", "spikes")]
    [InlineData("framework", "Shared Decision Making", "shared-decision-making")]
    [InlineData("tag", "primary-care", "primary-care")]
    [InlineData("tag", "Shared-Decision-Making", "shared-decision-making")]
    [InlineData("tag", "mental-health", "mental-health")]
    public async Task Each_filter_narrows_the_catalogue_to_the_seeds_that_match_it(string field, string value, string code)
    {
        var expected = Seeds.Where(d => field switch
        {
            "clinicalArea" => d.ClinicalArea == code,
            "difficulty" => d.Difficulty.ToString().Equals(code, StringComparison.OrdinalIgnoreCase),
            "framework" => d.Framework == code,
            "tag" => d.Tags.Contains(code),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a filter."),
        }).Select(d => SeedId(d.Slug)).ToList();
        expected.Should().NotBeEmpty().And.HaveCountLessThan(Seeds.Count, "the case narrows the catalogue");

        var page = await ListAsync($"?{field}={Uri.EscapeDataString(value)}");

        page.Items.Select(s => s.Id).Should().BeEquivalentTo(expected);
        page.Total.Should().Be(expected.Count);
    }

    [Fact]
    public async Task Filters_combine_and_a_valid_area_without_scenarios_lists_nothing()
    {
        var expected = Seeds.Where(d => d.Framework == "calgary-cambridge" && d.Difficulty == Difficulty.Intermediate)
            .Select(d => SeedId(d.Slug)).ToList();
        expected.Should().NotBeEmpty();

        var combined = await ListAsync("?framework=Calgary-Cambridge&difficulty=INTERMEDIATE");
        var empty = await ListAsync("?clinicalArea=palliative%20care");

        combined.Items.Select(s => s.Id).Should().BeEquivalentTo(expected);
        combined.Total.Should().Be(expected.Count);
        Seeds.Should().NotContain(d => d.ClinicalArea == "palliative-care");
        empty.Items.Should().BeEmpty();
        empty.Total.Should().Be(0);
    }

    [Fact]
    public async Task Paging_slices_the_catalogue_in_order_and_keeps_the_total()
    {
        var whole = await ListAsync();

        var pages = new List<ScenarioPage>();
        for (var number = 1; number <= 4; number++)
        {
            pages.Add(await ListAsync($"?page={number}&pageSize=5"));
        }

        pages.SelectMany(p => p.Items).Select(s => s.Id).Should().Equal(whole.Items.Select(s => s.Id));
        pages.Select(p => p.Items.Count).Should().Equal(5, 5, 2, 0);
        pages.Should().OnlyContain(p => p.Total == 12 && p.PageSize == 5);
        pages.Select(p => p.Page).Should().Equal(1, 2, 3, 4);
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=10001", "page")]
    [InlineData("?difficulty=impossible", "difficulty")]
    [InlineData("?difficulty=7", "difficulty")]
    [InlineData("?clinicalArea=astrology", "clinicalArea")]
    [InlineData("?clinicalArea=Primary%25", "clinicalArea")]
    [InlineData("?framework=SPIKE", "framework")]
    [InlineData("?q=LONG", "q")]
    public async Task An_invalid_query_is_a_400_problem_naming_the_field(string query, string field)
    {
        query = query.Replace("LONG", string.Join('+', Enumerable.Repeat("word", 41)), StringComparison.Ordinal);

        var response = await Learner.GetAsync($"{Scenarios}{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal(field);
    }

    [Fact]
    public async Task A_search_of_200_characters_is_accepted()
    {
        var q = new string('q', 200);

        var page = await ListAsync($"?q={Uri.EscapeDataString(q)}");

        page.Total.Should().Be(0);
    }

    [Fact]
    public async Task An_unknown_scenario_id_is_a_404_problem()
    {
        var id = Guid.CreateVersion7();

        var response = await Learner.GetAsync($"{Scenarios}/{id}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain(id.ToString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tenants

    [Fact]
    public async Task A_scenario_an_institution_publishes_is_seen_by_its_members_and_platform_admins_only()
    {
        var id = await PublishOwnAsync();
        var otherLearner = ClientFor("learner of another institution");
        var otherEducator = CreateClient(TestUser.Educator(Guid.CreateVersion7()));
        var platformAdmin = ClientFor("platform admin");

        var own = await ListAsync();
        var other = await ListAsync(client: otherLearner);
        var all = await ListAsync(client: platformAdmin);

        own.Items.Select(s => s.Id).Should().Contain(id);
        own.Items.Single(s => s.Id == id).InstitutionId.Should().Be(_institutionId);
        own.Total.Should().Be(Seeds.Count + 1);
        other.Items.Select(s => s.Id).Should().NotContain(id);
        other.Total.Should().Be(Seeds.Count);
        all.Items.Select(s => s.Id).Should().Contain(id);

        var details = await Learner.GetFromJsonAsync<ScenarioDetails>($"{Scenarios}/{id}", Json);
        details!.View.Should().Be(ScenarioDetails.LearnerView);
        details.InstitutionId.Should().Be(_institutionId);
        var adminView = await platformAdmin.GetFromJsonAsync<ScenarioDetails>($"{Scenarios}/{id}", Json);
        adminView!.View.Should().Be(ScenarioDetails.FullView);

        foreach (var client in new[] { otherLearner, otherEducator })
        {
            foreach (var path in new[] { $"{Scenarios}/{id}", $"{Scenarios}/{id}/versions", $"{Scenarios}/{id}/versions/1" })
            {
                await (await client.GetAsync(path)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
            }
        }

        // Export is for staff: a learner is turned away whatever the scenario; another institution's educator does not
        // learn that it exists.
        await (await otherLearner.GetAsync($"{Scenarios}/{id}/export")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await otherEducator.GetAsync($"{Scenarios}/{id}/export")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await ListAsync($"?q={Uri.EscapeDataString(details.Title)}", otherLearner)).Items.Should().NotContain(s => s.Id == id);
    }

    [Fact]
    public async Task A_draft_that_was_never_published_is_invisible_to_the_institutions_learners()
    {
        var title = $"Unpublished draft {Guid.NewGuid():N}";
        var id = await CreateAsync(Educator, title);

        var page = await ListAsync();
        var search = await ListAsync($"?q={Uri.EscapeDataString(title)}");

        page.Items.Select(s => s.Id).Should().NotContain(id);
        page.Total.Should().Be(Seeds.Count);
        search.Items.Should().BeEmpty();
        await (await Learner.GetAsync($"{Scenarios}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Learner.GetAsync($"{Scenarios}/{id}/versions")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await Educator.GetAsync($"{Scenarios}/{id}/draft")).StatusCode.Should().Be(HttpStatusCode.OK, "the draft exists");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hidden facts

    [Fact]
    public async Task A_learner_never_receives_a_hidden_fact_content_item_or_scripted_response_of_any_seed()
    {
        var leaks = new List<string>();
        var list = await Learner.GetStringAsync(Scenarios);
        leaks.AddRange(Leaks("the list", list, Seeds));

        foreach (var seed in Seeds)
        {
            var id = SeedId(seed.Slug);
            foreach (var path in new[] { $"{Scenarios}/{id}", $"{Scenarios}/{id}/versions", $"{Scenarios}/{id}/versions/1", $"{Scenarios}?q={Uri.EscapeDataString(seed.Title)}" })
            {
                var response = await Learner.GetAsync(path);
                var json = await response.Content.ReadAsStringAsync();
                response.StatusCode.Should().Be(HttpStatusCode.OK, json);
                leaks.AddRange(Leaks(path, json, Seeds));
                if (!path.Contains("?q=", StringComparison.Ordinal) && !path.EndsWith("/versions", StringComparison.Ordinal))
                {
                    JsonDocument.Parse(json).RootElement.GetProperty("view").GetString().Should().Be(ScenarioDetails.LearnerView);
                }
            }

            var search = await ListAsync($"?q={Uri.EscapeDataString(seed.Title)}");
            search.Items.Select(s => s.Id).Should().Contain(id, "the search by title finds {0}", seed.Slug);

            await (await Learner.GetAsync($"{Scenarios}/{id}/export")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

            // Nor through the search: hidden facts are not indexed, so searching for one does not find its scenario.
            foreach (var fact in seed.Persona.HiddenFacts)
            {
                var probe = await ListAsync($"?q={Uri.EscapeDataString($"\"{fact.Fact}\"")}");
                if (probe.Items.Any(s => s.Id == id))
                {
                    leaks.Add($"a search for the hidden fact {fact.Code} finds {seed.Slug}");
                }
            }
        }

        leaks.Should().BeEmpty();
    }

    [Fact]
    public async Task Any_educator_sees_the_full_view_of_a_seed_with_its_hidden_facts()
    {
        var educator = CreateClient(TestUser.Educator(Guid.CreateVersion7()));

        foreach (var seed in Seeds)
        {
            var json = await educator.GetStringAsync($"{Scenarios}/{SeedId(seed.Slug)}");
            var scenario = JsonSerializer.Deserialize<ScenarioDetails>(json, Json);

            // The leak detector the learner test relies on does find the secrets where they belong.
            Leaks("the full view", json, [seed]).Should().HaveCount(SecretsOf(seed).Count() + 1, seed.Slug);

            scenario!.View.Should().Be(ScenarioDetails.FullView);
            scenario.Persona.HiddenFacts.Should().BeEquivalentTo(seed.Persona.HiddenFacts, o => o.WithStrictOrdering(), seed.Slug);
            scenario.Rubric.ContentItems.Should().BeEquivalentTo(seed.ContentItems, o => o.WithStrictOrdering(), seed.Slug);
            scenario.Rubric.ContentItemCount.Should().Be(seed.ContentItems.Count);
            scenario.Flow.Branches.Should().BeEquivalentTo(seed.Flow.Branches, o => o.WithStrictOrdering(), seed.Slug);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Search

    [Theory]
    [InlineData("acute-chest-pain-emergency-department", "chest pain emergency")]
    [InlineData("angry-relative-delayed-diagnosis", "angry daughter hip fracture")]
    [InlineData("feverish-toddler-worried-parent", "feverish toddler")]
    [InlineData("goals-of-care-frail-older-patient", "goals care frail")]
    [InlineData("heart-failure-discharge-teach-back", "heart failure discharge")]
    [InlineData("hypertension-medication-adherence", "blood pressure tablets")]
    [InlineData("laparoscopic-cholecystectomy-consent", "laparoscopic cholecystectomy consent")]
    [InlineData("limited-english-antenatal-headache-interpreter", "headache pregnancy Polish")]
    [InlineData("lung-cancer-breaking-bad-news", "lung cancer diagnosis")]
    [InlineData("newly-diagnosed-type-2-diabetes", "diagnosis diabetes")]
    [InlineData("smoking-cessation-motivational-interviewing", "smoking COPD")]
    [InlineData("suicide-risk-assessment-young-adult", "suicide risk university student")]
    public async Task A_search_by_the_key_words_of_a_title_ranks_that_scenario_first(string slug, string q)
    {
        var title = Seed(slug).Title;
        q.Split(' ').Should().OnlyContain(word => title.Contains(word, StringComparison.OrdinalIgnoreCase), "the words come from the title");

        var page = await ListAsync($"?q={Uri.EscapeDataString(q)}");

        page.Items.Should().NotBeEmpty();
        page.Items[0].Id.Should().Be(SeedId(slug), "'{0}' is in the title of {1}, but the ranking was {2}", q, slug,
            string.Join(" > ", page.Items.Select(s => s.Title)));
        page.Total.Should().Be(page.Items.Count);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("-")]
    [InlineData("or")]
    [InlineData("the")]
    [InlineData("chest & pain | (fever)")]
    [InlineData("pain:* !chest")]
    [InlineData("o'brien\\")]
    public async Task A_search_with_stray_operators_or_only_stop_words_is_not_an_error(string q)
    {
        var response = await Learner.GetAsync($"{Scenarios}?q={Uri.EscapeDataString(q)}");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_search_for_words_in_no_scenario_finds_nothing()
    {
        var page = await ListAsync("?q=xylophone%20quokka");

        page.Items.Should().BeEmpty();
        page.Total.Should().Be(0);
    }

    [Fact]
    public async Task A_search_takes_websearch_syntax()
    {
        var phrase = await ListAsync($"?q={Uri.EscapeDataString("\"lung cancer\"")}");
        var reversed = await ListAsync($"?q={Uri.EscapeDataString("\"cancer lung\"")}");
        var either = await ListAsync($"?q={Uri.EscapeDataString("toddler or cholecystectomy")}");
        var excluding = await ListAsync($"?q={Uri.EscapeDataString("diagnosis -diabetes")}");
        var including = await ListAsync("?q=diagnosis");

        phrase.Items.Should().NotBeEmpty();
        phrase.Items[0].Id.Should().Be(SeedId(LungCancer));
        reversed.Items.Select(s => s.Id).Should().NotContain(SeedId(LungCancer), "a quoted phrase keeps its word order");
        either.Items.Select(s => s.Id).Should().BeEquivalentTo(
            [SeedId("feverish-toddler-worried-parent"), SeedId("laparoscopic-cholecystectomy-consent")]);
        including.Items.Select(s => s.Id).Should().Contain([SeedId("newly-diagnosed-type-2-diabetes"), SeedId(LungCancer)]);
        excluding.Items.Select(s => s.Id).Should().NotContain(SeedId("newly-diagnosed-type-2-diabetes")).And.Contain(SeedId(LungCancer));
        excluding.Total.Should().BeLessThan(including.Total);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Catalogue cache

    [Fact]
    public async Task The_catalogue_is_served_from_the_cache_until_a_publication_invalidates_it()
    {
        await WaitForHandledPublicationsAsync(Seeds.Count);
        var seedId = SeedId(LungCancer);
        var original = Seed(LungCancer).Title;
        var changed = $"Changed behind the service's back {Guid.NewGuid():N}";

        (await ListAsync()).Items.Single(s => s.Id == seedId).Title.Should().Be(original);
        var updated = await WithDbAsync(db => db.ScenarioVersions
            .Where(v => v.ScenarioId == seedId && v.Version == 1)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Title, changed)));
        updated.Should().Be(1);

        var cached = await ListAsync();

        cached.Items.Single(s => s.Id == seedId).Title.Should().Be(original, "the list comes from the cache");

        var published = await PublishOwnAsync();
        var deadline = DateTimeOffset.UtcNow + Deadline;
        ScenarioPage fresh;
        do
        {
            fresh = await ListAsync();
            if (fresh.Items.Any(s => s.Id == published) && fresh.Items.Single(s => s.Id == seedId).Title == changed)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTimeOffset.UtcNow < deadline);

        fresh.Items.Select(s => s.Id).Should().Contain(published, "publishing invalidates the cache");
        fresh.Items.Single(s => s.Id == seedId).Title.Should().Be(changed, "publishing invalidates every cached listing");
    }

    [Fact]
    public async Task With_the_cache_disabled_the_catalogue_reads_the_database_every_time()
    {
        await using var factory = new ServiceFactory<Program>(_servers, "contentdb");
        ContentTestHost.Isolate(factory);
        factory.Settings["Content:CatalogueCache:Enabled"] = "false";
        var learner = factory.CreateClient(TestUser.Learner(_institutionId));
        var seedId = SeedId(LungCancer);
        var changed = $"Changed behind the service's back {Guid.NewGuid():N}";

        (await ListAsync(client: learner)).Items.Single(s => s.Id == seedId).Title.Should().Be(Seed(LungCancer).Title);
        await WithDbAsync(
            db => db.ScenarioVersions.Where(v => v.ScenarioId == seedId && v.Version == 1)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Title, changed)),
            factory);

        (await ListAsync(client: learner)).Items.Single(s => s.Id == seedId).Title.Should().Be(changed);

        await factory.DisposeAsync();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Seeding

    [Fact]
    public async Task Seeding_again_keeps_one_scenario_and_one_version_per_seed_and_announces_nothing()
    {
        await Client.GetAsync("/alive");
        var ids = Seeds.Select(d => SeedId(d.Slug)).ToList();
        var lastOutboxSequence = await WithDbAsync(LastOutboxSequenceAsync);
        lastOutboxSequence.Should().BeGreaterThanOrEqualTo(Seeds.Count, "the first load announced every seed");

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            // As at start-up: the loader's transaction runs inside the retrying execution strategy.
            var db = scope.ServiceProvider.GetRequiredService<ContentDbContext>();
            await db.Database.CreateExecutionStrategy().ExecuteAsync(
                () => SeedLibraryLoader.LoadAsync(db, scope.ServiceProvider, CancellationToken.None));
        }

        await WithDbAsync(async db =>
        {
            (await db.Scenarios.CountAsync()).Should().Be(Seeds.Count);
            (await db.Scenarios.Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync()).Should().BeEquivalentTo(ids);
            var versions = await db.ScenarioVersions.Select(v => new { v.ScenarioId, v.Version, v.IsLatest }).ToListAsync();
            versions.Should().HaveCount(Seeds.Count);
            versions.Select(v => v.ScenarioId).Should().BeEquivalentTo(ids);
            versions.Should().OnlyContain(v => v.Version == 1 && v.IsLatest);
            (await LastOutboxSequenceAsync(db)).Should().Be(lastOutboxSequence, "no outbox row was written, not even one already relayed");
            return 0;
        });

        static async Task<long> LastOutboxSequenceAsync(ContentDbContext db) => await db.Database
            .SqlQuery<long>($"SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('outbox_messages', 'sequence')), 0) AS \"Value\"")
            .SingleAsync();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

/// <summary>Ratings (kept on the scenario, concurrently safe, visible once the cache entry expires) and
/// recommendations (the pure ranking, and the endpoint with a fake and the real progress source).</summary>
[Collection(ServersCollection.Name)]
public sealed class RatingsAndRecommendationsTests : IAsyncLifetime
{
    private const string Scenarios = ContentTestHost.Scenarios;
    private const string Recommendations = "/v1/content/recommendations";

    private readonly ServiceFactory<Program> _factory;
    private readonly List<IAsyncDisposable> _derived = [];
    private readonly Guid _institutionId = Guid.CreateVersion7();

    public RatingsAndRecommendationsTests(ServersFixture servers)
    {
        _factory = new ServiceFactory<Program>(servers, "contentdb");
        ContentTestHost.Isolate(_factory);
        _factory.Settings["Content:CatalogueCache:TimeToLive"] = "00:00:01";
    }

    private HttpClient Educator => field ??= _factory.CreateClient(TestUser.Educator(_institutionId));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var derived in _derived)
        {
            await derived.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }

    private HttpClient NewLearner(Guid? institutionId = null) => _factory.CreateClient(TestUser.Learner(institutionId ?? _institutionId));

    private async Task<Guid> CreateScenarioAsync(bool publish = true)
    {
        var document = ContentTestHost.SeedDocument("feverish-toddler-worried-parent");
        document["slug"] = $"rated-{Guid.NewGuid():N}";
        var created = await Educator.PostAsync(Scenarios, new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        if (publish)
        {
            var published = await Educator.PostAsync($"{Scenarios}/{id}/publish", null);
            published.StatusCode.Should().Be(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        }

        return id;
    }

    private static Task<HttpResponseMessage> RateAsync(HttpClient client, Guid id, int stars) =>
        client.PutAsJsonAsync($"{Scenarios}/{id}/rating", new { stars });

    private static async Task<JsonElement> RatingOfAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("rating");
    }

    private static (double? Average, int Count) Summary(JsonElement rating) => (
        rating.GetProperty("average").ValueKind == JsonValueKind.Null ? null : rating.GetProperty("average").GetDouble(),
        rating.GetProperty("count").GetInt32());

    private async Task<T> WithDbAsync<T>(Func<ContentDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ContentDbContext>());
    }

    /// <summary>A client of a host whose progress source is <paramref name="progress"/>.</summary>
    private HttpClient ClientWithProgress(TestUser user, IReadOnlyList<ItemProgress> progress)
    {
        var derived = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<ILearnerProgressSource>(new FakeProgress(progress))));
        _derived.Add(derived);
        var client = derived.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _factory.Tokens.Issue(user));
        return client;
    }

    private sealed class FakeProgress(IReadOnlyList<ItemProgress> progress) : ILearnerProgressSource
    {
        public Task<IReadOnlyList<ItemProgress>> GetAsync(AuthenticationHeaderValue? authorization, CancellationToken cancellationToken) =>
            Task.FromResult(progress);
    }

    // Ratings

    [Fact]
    public async Task Rating_again_replaces_the_learners_earlier_rating()
    {
        var id = await CreateScenarioAsync();
        var learner = NewLearner();

        Summary(await RatingOfAsync(await RateAsync(learner, id, 4))).Should().Be((4.0, 1));
        var second = await RateAsync(learner, id, 2);

        Summary(await RatingOfAsync(second)).Should().Be((2.0, 1));
        (await WithDbAsync(db => db.Scenarios.Where(s => s.Id == id).Select(s => new { s.RatingCount, s.RatingSum }).SingleAsync()))
            .Should().BeEquivalentTo(new { RatingCount = 1, RatingSum = 2 });
        (await WithDbAsync(db => db.ScenarioRatings.CountAsync(r => r.ScenarioId == id))).Should().Be(1);
    }

    [Fact]
    public async Task Three_learners_ratings_average_out_and_show_in_the_catalogue_once_the_cache_entry_expires()
    {
        var id = await CreateScenarioAsync();
        var reader = NewLearner();

        // Cache the listing and the details before anyone rates.
        var before = await reader.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}");
        Summary(before.GetProperty("rating")).Should().Be((null, 0));
        await reader.GetFromJsonAsync<JsonElement>($"{Scenarios}?pageSize=100");

        JsonElement last = default;
        foreach (var stars in new[] { 5, 4, 3 })
        {
            last = await RatingOfAsync(await RateAsync(NewLearner(), id, stars));
        }

        Summary(last).Should().Be((4.0, 3));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        (double?, int) details, listed;
        do
        {
            details = Summary((await reader.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}")).GetProperty("rating"));
            var page = await reader.GetFromJsonAsync<JsonElement>($"{Scenarios}?pageSize=100");
            listed = Summary(page.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == id).GetProperty("rating"));
            if (details == (4.0, 3) && listed == (4.0, 3))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        details.Should().Be((4.0, 3));
        listed.Should().Be((4.0, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public async Task Stars_outside_one_to_five_are_a_400_naming_stars(int stars)
    {
        var id = await CreateScenarioAsync();

        var response = await RateAsync(NewLearner(), id, stars);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("stars", out _).Should().BeTrue(problem.ToString());
        (await WithDbAsync(db => db.ScenarioRatings.CountAsync(r => r.ScenarioId == id))).Should().Be(0);
    }

    [Fact]
    public async Task An_unpublished_or_another_institutions_scenario_cannot_be_rated()
    {
        var draft = await CreateScenarioAsync(publish: false);
        var published = await CreateScenarioAsync();

        await (await RateAsync(NewLearner(), draft, 5)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await RateAsync(Educator, draft, 5)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await RateAsync(NewLearner(Guid.CreateVersion7()), published, 5)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await RateAsync(NewLearner(), Guid.CreateVersion7(), 5)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await WithDbAsync(db => db.ScenarioRatings.CountAsync(r => r.ScenarioId == draft || r.ScenarioId == published))).Should().Be(0);
        (await WithDbAsync(db => db.Scenarios.Where(s => s.Id == published).Select(s => s.RatingCount).SingleAsync())).Should().Be(0);
    }

    [Fact]
    public async Task Twenty_concurrent_ratings_by_twenty_learners_all_count()
    {
        var id = await CreateScenarioAsync();
        var stars = Enumerable.Range(0, 20).Select(i => (i % 5) + 1).ToArray();
        var learners = stars.Select(_ => NewLearner()).ToArray();

        var responses = await Task.WhenAll(learners.Select((learner, i) => RateAsync(learner, id, stars[i])));

        foreach (var response in responses)
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var totals = await WithDbAsync(db => db.Scenarios.Where(s => s.Id == id).Select(s => new { s.RatingCount, s.RatingSum }).SingleAsync());
        totals.RatingCount.Should().Be(20);
        totals.RatingSum.Should().Be(stars.Sum(), "no concurrent rating may be lost");
        (await WithDbAsync(db => db.ScenarioRatings.Where(r => r.ScenarioId == id).SumAsync(r => r.Stars))).Should().Be(stars.Sum());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        (double?, int) shown;
        do
        {
            shown = Summary((await NewLearner().GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}")).GetProperty("rating"));
            if (shown.Item2 == 20)
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        shown.Should().Be((Math.Round(stars.Sum() / 20.0, 2), 20));
    }

    // The recommender itself

    private static Candidate MakeCandidate(string title, Difficulty difficulty, double popularity, params string[] focus) => new(
        new ScenarioSummary(Guid.CreateVersion7(), title, "primary-care", difficulty, "ice", $"{title} summary", 1, 15, "GP surgery", [],
            null, new RatingSummary(null, 0), DateTimeOffset.UnixEpoch),
        focus,
        popularity);

    private static readonly ItemProgress[] WeakEmpathyAndUnderstanding =
    [
        new("greeting", 0.95),
        new("empathy", 0.2),
        new("summary", 0.7),
        new("check_understanding", 0.3),
        new("not_an_essential", 0.0),
    ];

    private static List<Candidate> Mixed() =>
    [
        MakeCandidate("Strong items only", Difficulty.Foundation, 5.0, "greeting", "summary"),
        MakeCandidate("Check understanding", Difficulty.Foundation, 4.5, "check_understanding", "explanation"),
        MakeCandidate("Both weak items", Difficulty.Intermediate, 3.0, "empathy", "check_understanding"),
        MakeCandidate("Ideas only", Difficulty.Foundation, 5.0, "ideas"),
        MakeCandidate("Empathy", Difficulty.Foundation, 3.5, "empathy", "concerns"),
    ];

    [Fact]
    public void With_weak_items_the_picks_exercise_them_weakest_first_and_say_so()
    {
        var list = Recommender.Recommend(Mixed(), WeakEmpathyAndUnderstanding, level: null, count: 5);

        list.Basis.Should().Be("weakest-items");
        list.Items.Select(i => i.Scenario.Title).Should().Equal("Both weak items", "Empathy", "Check understanding");
        list.Items[0].Exercises.Should().Equal("empathy", "check_understanding");
        list.Items[0].Reason.Should().Contain("empathy").And.Contain("check understanding");
        list.Items[1].Exercises.Should().Equal("empathy");
        list.Items[1].Reason.Should().Contain("empathy").And.NotContain("check understanding");
        list.Items[2].Exercises.Should().Equal("check_understanding");
        list.Items.Should().OnlyContain(i => i.Exercises.All(code => code == "empathy" || code == "check_understanding"));
    }

    [Fact]
    public void Picks_for_weak_items_keep_to_the_difficulty_asked_for_and_to_the_count()
    {
        var foundation = Recommender.Recommend(Mixed(), WeakEmpathyAndUnderstanding, Difficulty.Foundation, count: 5);
        var one = Recommender.Recommend(Mixed(), WeakEmpathyAndUnderstanding, level: null, count: 1);

        foundation.Basis.Should().Be("weakest-items");
        foundation.Items.Select(i => i.Scenario.Title).Should().Equal("Empathy", "Check understanding");
        foundation.Items.Should().OnlyContain(i => i.Scenario.Difficulty == Difficulty.Foundation);
        one.Items.Select(i => i.Scenario.Title).Should().Equal("Both weak items");
    }

    [Fact]
    public void Items_at_or_above_the_weak_threshold_are_not_weak()
    {
        var strong = new[] { new ItemProgress("empathy", 0.6), new ItemProgress("check_understanding", 0.9) };

        var list = Recommender.Recommend(Mixed(), strong, level: null, count: 5);

        list.Basis.Should().Be("popularity-and-level");
        list.Items.Should().OnlyContain(i => i.Exercises.Count == 0);
    }

    private static List<Candidate> Levels() =>
    [
        MakeCandidate("Alpha", Difficulty.Foundation, 3.0),
        MakeCandidate("Bravo", Difficulty.Foundation, 4.2),
        MakeCandidate("Charlie", Difficulty.Intermediate, 4.9),
        MakeCandidate("Delta", Difficulty.Advanced, 5.0),
        MakeCandidate("Echo", Difficulty.Foundation, 3.8),
    ];

    [Fact]
    public void Without_progress_foundation_comes_first_then_the_most_popular()
    {
        var list = Recommender.Recommend(Levels(), [], level: null, count: 5);

        list.Basis.Should().Be("popularity-and-level");
        list.Items.Select(i => i.Scenario.Title).Should().Equal("Bravo", "Echo", "Alpha", "Charlie", "Delta");
        list.Items.Should().OnlyContain(i => i.Exercises.Count == 0 && i.Reason.Length > 0);
    }

    [Fact]
    public void Without_progress_the_level_asked_for_comes_first_and_the_count_is_kept()
    {
        var advanced = Recommender.Recommend(Levels(), [], Difficulty.Advanced, count: 5);
        var two = Recommender.Recommend(Levels(), [], level: null, count: 2);

        advanced.Items.Select(i => i.Scenario.Title).Should().Equal("Delta", "Charlie", "Bravo", "Echo", "Alpha");
        two.Items.Select(i => i.Scenario.Title).Should().Equal("Bravo", "Echo");
    }

    [Fact]
    public void Weak_items_no_scenario_exercises_fall_back_to_popularity()
    {
        var list = Recommender.Recommend(Levels(), WeakEmpathyAndUnderstanding, level: null, count: 3);

        list.Basis.Should().Be("popularity-and-level");
        list.Items.Select(i => i.Scenario.Title).Should().Equal("Bravo", "Echo", "Alpha");
    }

    // The endpoint

    private static List<Guid> SeedsExercising(string item) =>
        SeedLibrary.Load().Where(d => d.EffectiveFocusItems.Contains(item)).Select(d => ContentTestHost.SeedId(d.Slug)).ToList();

    [Fact]
    public async Task A_learner_weak_at_checking_understanding_is_recommended_the_seeds_that_exercise_it()
    {
        var learner = ClientWithProgress(TestUser.Learner(_institutionId), [new("check_understanding", 0.1), new("greeting", 1.0)]);
        var expected = SeedsExercising("check_understanding");
        expected.Should().NotBeEmpty().And.HaveCountLessThan(SeedLibrary.Load().Count);

        var list = await learner.GetFromJsonAsync<JsonElement>($"{Recommendations}?count=20");

        list.GetProperty("basis").GetString().Should().Be("weakest-items");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("scenario").GetProperty("id").GetGuid()).Should().BeEquivalentTo(expected);
        items.Should().OnlyContain(i => i.GetProperty("exercises").EnumerateArray().Select(e => e.GetString()).Single() == "check_understanding");
        items.Select(i => i.GetProperty("scenario").GetProperty("framework").GetString()).Distinct()
            .Should().BeSubsetOf(["teach-back", "spikes", "shared-decision-making"]);
    }

    [Fact]
    public async Task Recommendations_for_weak_items_keep_to_the_difficulty_asked_for()
    {
        var learner = ClientWithProgress(TestUser.Learner(_institutionId), [new("check_understanding", 0.1)]);
        var expected = SeedLibrary.Load()
            .Where(d => d.EffectiveFocusItems.Contains("check_understanding") && d.Difficulty == Difficulty.Foundation)
            .Select(d => ContentTestHost.SeedId(d.Slug)).ToList();

        var list = await learner.GetFromJsonAsync<JsonElement>($"{Recommendations}?difficulty=foundation&count=20");

        list.GetProperty("basis").GetString().Should().Be("weakest-items");
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("scenario").GetProperty("id").GetGuid())
            .Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task Without_progress_from_sessions_recommendations_go_by_popularity_and_level()
    {
        var learner = NewLearner();
        var seeds = SeedLibrary.Load();
        var foundationCount = seeds.Count(d => d.Difficulty == Difficulty.Foundation);

        var response = await learner.GetAsync($"{Recommendations}?count=20");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var list = await response.ReadJsonAsync();
        list.GetProperty("basis").GetString().Should().Be("popularity-and-level");
        var difficulties = list.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("scenario").GetProperty("difficulty").GetString()).ToList();
        difficulties.Should().HaveCount(seeds.Count);
        difficulties.Take(foundationCount).Should().OnlyContain(d => d == "foundation");
        difficulties.Skip(foundationCount).Should().NotContain("foundation");
    }

    [Fact]
    public async Task Without_progress_the_better_rated_scenario_comes_first_at_its_level()
    {
        var seeds = SeedLibrary.Load().Where(d => d.Difficulty == Difficulty.Foundation).Select(d => ContentTestHost.SeedId(d.Slug)).ToList();
        var favourite = seeds.Last();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            (await RateAsync(NewLearner(), favourite, 5)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var list = await NewLearner().GetFromJsonAsync<JsonElement>($"{Recommendations}?count=3");

        list.GetProperty("basis").GetString().Should().Be("popularity-and-level");
        var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("scenario").GetProperty("id").GetGuid()).ToList();
        ids.Should().HaveCount(3);
        ids[0].Should().Be(favourite);
    }

    [Theory]
    [InlineData("count=0", "count")]
    [InlineData("count=21", "count")]
    [InlineData("difficulty=expert", "difficulty")]
    public async Task An_out_of_range_recommendation_query_is_a_400_naming_the_field(string query, string field)
    {
        var response = await NewLearner().GetAsync($"{Recommendations}?{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)
            .Should().Contain(name => name.Equals(field, StringComparison.OrdinalIgnoreCase), problem.ToString());
    }
}

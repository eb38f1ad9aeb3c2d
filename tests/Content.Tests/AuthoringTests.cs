using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

/// <summary>Authoring: drafts, immutable published versions, ETags, slugs, validation, import/export and who may do
/// what, against real PostgreSQL and Redis.</summary>
[Collection(ServersCollection.Name)]
public sealed class AuthoringTests : IAsyncLifetime
{
    private const string Scenarios = ContentTestHost.Scenarios;
    private const string BaseSlug = "newly-diagnosed-type-2-diabetes";

    private readonly ServiceFactory<Program> _factory;
    private readonly Guid _institutionId = Guid.CreateVersion7();
    private readonly Guid _otherInstitutionId = Guid.CreateVersion7();

    public AuthoringTests(ServersFixture servers)
    {
        _factory = new ServiceFactory<Program>(servers, "contentdb");
        ContentTestHost.Isolate(_factory);
    }

    private HttpClient Educator => field ??= _factory.CreateClient(TestUser.Educator(_institutionId));

    private HttpClient Learner => field ??= _factory.CreateClient(TestUser.Learner(_institutionId));

    private HttpClient OtherEducator => field ??= _factory.CreateClient(TestUser.Educator(_otherInstitutionId));

    private HttpClient PlatformAdmin => field ??= _factory.CreateClient(TestUser.PlatformAdmin());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static JsonObject NewDocument(string slug, string from = BaseSlug)
    {
        var document = ContentTestHost.SeedDocument(from);
        document["slug"] = slug;
        return document;
    }

    private static string UniqueSlug(string prefix = "authored") => $"{prefix}-{Guid.NewGuid():N}"[..40];

    private static StringContent Body(JsonNode document) => new(document.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonNode> ReadNodeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static Guid IdOf(JsonNode node) => node["id"]!.GetValue<Guid>();

    private async Task<(Guid Id, JsonObject Document)> CreateAsync(HttpClient? client = null, string? slug = null)
    {
        var document = NewDocument(slug ?? UniqueSlug());
        var response = await (client ?? Educator).PostAsync(Scenarios, Body(document));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (IdOf(await ReadNodeAsync(response)), document);
    }

    private async Task<JsonNode> PublishAsync(Guid id, HttpClient? client = null)
    {
        var response = await (client ?? Educator).PostAsync($"{Scenarios}/{id}/publish", null);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ReadNodeAsync(response);
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, response.IsSuccessStatusCode ? await ReadNodeAsync(response) : null);
    }

    private async Task<T> WithDbAsync<T>(Func<ContentDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ContentDbContext>());
    }

    /// <summary>Polls GET /{id} until it shows <paramref name="version"/> (the cache is invalidated asynchronously by
    /// the ScenarioPublished handler); returns the last answer.</summary>
    private static async Task<JsonNode?> WaitForLatestVersionAsync(HttpClient client, Guid id, int version)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonNode? body;
        do
        {
            (_, body) = await GetAsync(client, $"{Scenarios}/{id}");
            if (body?["version"]?.GetValue<int>() == version)
            {
                return body;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return body;
    }

    private static string FirstHiddenFact(JsonNode details) => details["persona"]!["hiddenFacts"]![0]!["fact"]!.GetValue<string>();

    [Fact]
    public async Task Creating_answers_201_with_the_first_draft_revision_as_ETag_and_the_draft_as_Location()
    {
        var document = NewDocument(UniqueSlug());

        var response = await Educator.PostAsync(Scenarios, Body(document));

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
        var body = await ReadNodeAsync(response);
        var id = IdOf(body);
        response.Headers.Location!.OriginalString.Should().Be($"/v1/content/scenarios/{id}/draft");
        body["latestVersion"]!.GetValue<int>().Should().Be(0);
        body["draftRevision"]!.GetValue<int>().Should().Be(1);
        body["institutionId"]!.GetValue<Guid>().Should().Be(_institutionId);
        JsonNode.DeepEquals(body["document"], document).Should().BeTrue("the draft is the document sent");

        var draft = await Educator.GetAsync(response.Headers.Location);
        draft.StatusCode.Should().Be(HttpStatusCode.OK);
        draft.Headers.ETag!.Tag.Should().Be("\"1\"");
        (await Learner.GetAsync($"{Scenarios}/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a draft is not in the catalogue");
    }

    [Fact]
    public async Task Editing_a_published_scenario_leaves_its_version_unchanged_until_the_edit_is_published_as_a_new_version()
    {
        var (id, original) = await CreateAsync();
        var v1 = await PublishAsync(id);
        v1["version"]!.GetValue<int>().Should().Be(1);
        var originalTitle = original["title"]!.GetValue<string>();
        var originalFact = original["persona"]!["hiddenFacts"]![0]!["fact"]!.GetValue<string>();
        var published = await WaitForLatestVersionAsync(Educator, id, 1);
        published!["title"]!.GetValue<string>().Should().Be(originalTitle);
        (await Educator.GetAsync($"{Scenarios}/{id}/draft")).StatusCode.Should().Be(HttpStatusCode.NotFound, "publishing consumes the draft");

        var edited = original.DeepClone().AsObject();
        edited["title"] = "An edited title for version two";
        edited["persona"]!["hiddenFacts"]![0]!["fact"] = "An edited hidden fact that only version two knows.";
        var put = await Educator.PutAsync($"{Scenarios}/{id}/draft", Body(edited));
        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());

        var (_, latest) = await GetAsync(Educator, $"{Scenarios}/{id}");
        latest!["version"]!.GetValue<int>().Should().Be(1);
        latest["title"]!.GetValue<string>().Should().Be(originalTitle);
        FirstHiddenFact(latest).Should().Be(originalFact);
        var (_, versionOne) = await GetAsync(Educator, $"{Scenarios}/{id}/versions/1");
        versionOne!["title"]!.GetValue<string>().Should().Be(originalTitle);
        FirstHiddenFact(versionOne).Should().Be(originalFact);
        (await Learner.GetAsync($"{Scenarios}/{id}/versions/2")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var v2 = await PublishAsync(id);
        v2["version"]!.GetValue<int>().Should().Be(2);
        v2["title"]!.GetValue<string>().Should().Be("An edited title for version two");

        latest = await WaitForLatestVersionAsync(Educator, id, 2);
        latest!["version"]!.GetValue<int>().Should().Be(2, "the catalogue serves the new version once the ScenarioPublished event is handled");
        latest["title"]!.GetValue<string>().Should().Be("An edited title for version two");
        FirstHiddenFact(latest).Should().Be("An edited hidden fact that only version two knows.");

        var versions = (await Educator.GetFromJsonAsync<JsonArray>($"{Scenarios}/{id}/versions"))!;
        versions.Select(v => v!["version"]!.GetValue<int>()).Should().Equal(2, 1);
        versions.Select(v => v!["isLatest"]!.GetValue<bool>()).Should().Equal(true, false);
        versions.Select(v => v!["title"]!.GetValue<string>()).Should().Equal("An edited title for version two", originalTitle);

        (_, versionOne) = await GetAsync(Educator, $"{Scenarios}/{id}/versions/1");
        versionOne!["version"]!.GetValue<int>().Should().Be(1);
        versionOne["title"]!.GetValue<string>().Should().Be(originalTitle);
        FirstHiddenFact(versionOne).Should().Be(originalFact, "a published version is immutable");
        (await Educator.GetAsync($"{Scenarios}/{id}/draft")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await WithDbAsync(db => db.ScenarioVersions.CountAsync(v => v.ScenarioId == id))).Should().Be(2);
    }

    [Fact]
    public async Task A_stale_If_Match_is_a_412_and_leaves_the_draft_as_it_was_while_a_matching_one_saves_with_a_new_ETag()
    {
        var (id, original) = await CreateAsync();
        var first = original.DeepClone().AsObject();
        first["title"] = "First edit";
        using (var request = new HttpRequestMessage(HttpMethod.Put, $"{Scenarios}/{id}/draft") { Content = Body(first) })
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            var matching = await Educator.SendAsync(request);
            matching.StatusCode.Should().Be(HttpStatusCode.OK, await matching.Content.ReadAsStringAsync());
            matching.Headers.ETag!.Tag.Should().Be("\"2\"");
            (await ReadNodeAsync(matching))["draftRevision"]!.GetValue<int>().Should().Be(2);
        }

        var second = original.DeepClone().AsObject();
        second["title"] = "Second edit, from a stale copy";
        using (var request = new HttpRequestMessage(HttpMethod.Put, $"{Scenarios}/{id}/draft") { Content = Body(second) })
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            var stale = await Educator.SendAsync(request);
            await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        var draft = await Educator.GetAsync($"{Scenarios}/{id}/draft");
        draft.Headers.ETag!.Tag.Should().Be("\"2\"");
        var body = await ReadNodeAsync(draft);
        body["document"]!["title"]!.GetValue<string>().Should().Be("First edit");
        body["draftRevision"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task Publishing_without_a_draft_is_a_409()
    {
        var (id, _) = await CreateAsync();
        await PublishAsync(id);

        var again = await Educator.PostAsync($"{Scenarios}/{id}/publish", null);

        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await WithDbAsync(db => db.ScenarioVersions.CountAsync(v => v.ScenarioId == id))).Should().Be(1);
    }

    [Fact]
    public async Task Concurrent_publishes_of_one_draft_make_exactly_one_version()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (id, _) = await CreateAsync();
            var clients = new[] { _factory.CreateClient(TestUser.Educator(_institutionId)), _factory.CreateClient(TestUser.Educator(_institutionId)) };

            var responses = await Task.WhenAll(clients.Select(c => c.PostAsync($"{Scenarios}/{id}/publish", null)));

            responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Created, HttpStatusCode.Conflict]);
            await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBeProblemAsync(HttpStatusCode.Conflict);
            var versions = await WithDbAsync(db => db.ScenarioVersions.Where(v => v.ScenarioId == id).Select(v => v.Version).ToListAsync());
            versions.Should().Equal(1);
            (await WithDbAsync(db => db.Scenarios.Where(s => s.Id == id).Select(s => s.LatestVersion).SingleAsync())).Should().Be(1);
        }
    }

    [Fact]
    public async Task A_slug_is_unique_within_its_owner_only_and_cannot_change()
    {
        var slug = UniqueSlug("slugged");
        var (id, document) = await CreateAsync(slug: slug);

        var sameInstitution = await Educator.PostAsync(Scenarios, Body(NewDocument(slug, from: "feverish-toddler-worried-parent")));
        await sameInstitution.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var otherInstitution = await OtherEducator.PostAsync(Scenarios, Body(NewDocument(slug)));
        otherInstitution.StatusCode.Should().Be(HttpStatusCode.Created, await otherInstitution.Content.ReadAsStringAsync());
        IdOf(await ReadNodeAsync(otherInstitution)).Should().NotBe(id);

        var renamed = document.DeepClone().AsObject();
        renamed["slug"] = UniqueSlug("renamed");
        var put = await Educator.PutAsync($"{Scenarios}/{id}/draft", Body(renamed));
        var problem = await put.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("slug", out _).Should().BeTrue(problem.ToString());

        var draft = (await Educator.GetFromJsonAsync<JsonNode>($"{Scenarios}/{id}/draft"))!;
        draft["slug"]!.GetValue<string>().Should().Be(slug);
        draft["draftRevision"]!.GetValue<int>().Should().Be(1);
        (await WithDbAsync(db => db.Scenarios.CountAsync(s => s.Slug == slug && s.InstitutionId == _institutionId))).Should().Be(1);
    }

    public static TheoryData<string, string> InvalidDocuments => new()
    {
        { "unknown property", "bogusMember" },
        { "missing persona", "persona" },
        { "bad clinicalArea", "clinicalArea" },
        { "too few hidden facts", "hiddenFacts" },
        { "wrong schemaVersion", "schemaVersion" },
    };

    private static JsonObject Break(JsonObject document, string how)
    {
        switch (how)
        {
            case "unknown property":
                document["bogusMember"] = 1;
                break;
            case "missing persona":
                document.Remove("persona");
                break;
            case "bad clinicalArea":
                document["clinicalArea"] = "astrology";
                break;
            case "too few hidden facts":
                var facts = document["persona"]!["hiddenFacts"]!.AsArray();
                while (facts.Count > 1)
                {
                    facts.RemoveAt(facts.Count - 1);
                }

                break;
            case "wrong schemaVersion":
                document["schemaVersion"] = "practiceplatform.scenario/v0";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(how), how, null);
        }

        return document;
    }

    private static void ShouldName(JsonElement problem, string field)
    {
        var errors = problem.GetProperty("errors");
        var named = errors.EnumerateObject().Any(e =>
            e.Name.Contains(field, StringComparison.OrdinalIgnoreCase) ||
            e.Value.EnumerateArray().Any(m => m.GetString()!.Contains(field, StringComparison.OrdinalIgnoreCase)));
        named.Should().BeTrue($"the errors should name '{field}': {errors}");
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public async Task An_invalid_document_is_a_400_naming_the_field_and_the_stored_draft_is_unchanged(string how, string field)
    {
        var (id, document) = await CreateAsync();

        var put = await Educator.PutAsync($"{Scenarios}/{id}/draft", Body(Break(document.DeepClone().AsObject(), how)));

        ShouldName(await put.ShouldBeProblemAsync(HttpStatusCode.BadRequest), field);
        var draft = (await Educator.GetFromJsonAsync<JsonNode>($"{Scenarios}/{id}/draft"))!;
        draft["draftRevision"]!.GetValue<int>().Should().Be(1);
        JsonNode.DeepEquals(draft["document"], document).Should().BeTrue("a rejected save changes nothing");
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public async Task Creating_from_an_invalid_document_is_a_400_naming_the_field_and_creates_nothing(string how, string field)
    {
        var slug = UniqueSlug("invalid");

        var post = await Educator.PostAsync(Scenarios, Body(Break(NewDocument(slug), how)));

        ShouldName(await post.ShouldBeProblemAsync(HttpStatusCode.BadRequest), field);
        (await WithDbAsync(db => db.Scenarios.CountAsync(s => s.InstitutionId == _institutionId))).Should().Be(0);
    }

    [Fact]
    public async Task A_document_sent_as_another_content_type_is_a_415_and_changes_nothing()
    {
        var (id, document) = await CreateAsync();
        var edited = document.DeepClone().AsObject();
        edited["title"] = "Sent as text";

        var put = await Educator.PutAsync($"{Scenarios}/{id}/draft", new StringContent(edited.ToJsonString(), Encoding.UTF8, "text/plain"));
        var post = await Educator.PostAsync(Scenarios, new StringContent(NewDocument(UniqueSlug()).ToJsonString(), Encoding.UTF8, "text/plain"));

        await put.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await post.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var draft = (await Educator.GetFromJsonAsync<JsonNode>($"{Scenarios}/{id}/draft"))!;
        JsonNode.DeepEquals(draft["document"], document).Should().BeTrue();
        (await WithDbAsync(db => db.Scenarios.CountAsync(s => s.InstitutionId == _institutionId))).Should().Be(1);
    }

    [Fact]
    public async Task An_export_is_the_published_document_and_imports_into_another_institution_as_an_equal_draft()
    {
        var slug = UniqueSlug("exported");
        var (id, document) = await CreateAsync(slug: slug);
        await PublishAsync(id);

        var export = await Educator.GetAsync($"{Scenarios}/{id}/export");

        export.StatusCode.Should().Be(HttpStatusCode.OK, await export.Content.ReadAsStringAsync());
        export.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var disposition = export.Content.Headers.ContentDisposition!;
        disposition.DispositionType.Should().Be("attachment");
        (disposition.FileNameStar ?? disposition.FileName).Should().Contain(slug);
        var exported = JsonNode.Parse(await export.Content.ReadAsStringAsync())!.AsObject();
        JsonNode.DeepEquals(exported, document).Should().BeTrue("the export is exactly what was published, hidden facts included");
        exported["persona"]!["hiddenFacts"]!.AsArray().Should().NotBeEmpty();

        var imported = exported.DeepClone().AsObject();
        var newSlug = UniqueSlug("imported");
        imported["slug"] = newSlug;
        var import = await OtherEducator.PostAsync($"{Scenarios}/import", Body(imported));
        import.StatusCode.Should().Be(HttpStatusCode.Created, await import.Content.ReadAsStringAsync());
        var importedId = IdOf(await ReadNodeAsync(import));
        importedId.Should().NotBe(id);

        var draft = (await OtherEducator.GetFromJsonAsync<JsonNode>($"{Scenarios}/{importedId}/draft"))!;
        draft["institutionId"]!.GetValue<Guid>().Should().Be(_otherInstitutionId);
        draft["latestVersion"]!.GetValue<int>().Should().Be(0);
        var draftDocument = draft["document"]!.AsObject();
        draftDocument["slug"]!.GetValue<string>().Should().Be(newSlug);
        var comparable = draftDocument.DeepClone().AsObject();
        comparable["slug"] = slug;
        JsonNode.DeepEquals(comparable, exported).Should().BeTrue("an import is the exported document with the new slug");

        (await Educator.GetAsync($"{Scenarios}/{importedId}/draft")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the import belongs to the other institution");
    }

    [Fact]
    public async Task An_export_of_an_earlier_version_is_that_version()
    {
        var (id, document) = await CreateAsync();
        await PublishAsync(id);
        var edited = document.DeepClone().AsObject();
        edited["title"] = "Version two title";
        (await Educator.PutAsync($"{Scenarios}/{id}/draft", Body(edited))).StatusCode.Should().Be(HttpStatusCode.OK);
        await PublishAsync(id);

        var v1 = JsonNode.Parse(await Educator.GetStringAsync($"{Scenarios}/{id}/export?version=1"));
        var latest = JsonNode.Parse(await Educator.GetStringAsync($"{Scenarios}/{id}/export"));

        JsonNode.DeepEquals(v1, document).Should().BeTrue();
        JsonNode.DeepEquals(latest, edited).Should().BeTrue();
        await (await Educator.GetAsync($"{Scenarios}/{id}/export?version=3")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Learners_cannot_export_and_other_institutions_do_not_see_an_institutions_scenario()
    {
        var (id, _) = await CreateAsync();
        await PublishAsync(id);

        await (await Learner.GetAsync($"{Scenarios}/{id}/export")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await _factory.CreateClient(TestUser.Learner(_institutionId)).GetAsync($"{Scenarios}/{ContentTestHost.SeedId(BaseSlug)}/export"))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await OtherEducator.GetAsync($"{Scenarios}/{id}/export")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await OtherEducator.GetAsync($"{Scenarios}/{ContentTestHost.SeedId(BaseSlug)}/export")).StatusCode
            .Should().Be(HttpStatusCode.OK, "any educator reads a platform-wide scenario in full");
    }

    [Fact]
    public async Task Discarding_the_draft_of_a_never_published_scenario_deletes_the_scenario()
    {
        var (id, _) = await CreateAsync();

        var delete = await Educator.DeleteAsync($"{Scenarios}/{id}/draft");

        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await Educator.GetAsync($"{Scenarios}/{id}/draft")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Educator.PostAsync($"{Scenarios}/{id}/publish", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await WithDbAsync(db => db.Scenarios.AnyAsync(s => s.Id == id))).Should().BeFalse();
        var drafts = (await Educator.GetFromJsonAsync<JsonArray>($"{Scenarios}/drafts"))!;
        drafts.Select(d => IdOf(d!)).Should().NotContain(id);
    }

    [Fact]
    public async Task Discarding_the_draft_of_a_published_scenario_keeps_the_published_version()
    {
        var (id, document) = await CreateAsync();
        await PublishAsync(id);
        var edited = document.DeepClone().AsObject();
        edited["title"] = "A draft to throw away";
        (await Educator.PutAsync($"{Scenarios}/{id}/draft", Body(edited))).StatusCode.Should().Be(HttpStatusCode.OK);

        var delete = await Educator.DeleteAsync($"{Scenarios}/{id}/draft");

        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await Educator.GetAsync($"{Scenarios}/{id}/draft")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var latest = await WaitForLatestVersionAsync(Educator, id, 1);
        latest!["version"]!.GetValue<int>().Should().Be(1);
        latest["title"]!.GetValue<string>().Should().Be(document["title"]!.GetValue<string>());
        (await WithDbAsync(db => db.ScenarioVersions.CountAsync(v => v.ScenarioId == id))).Should().Be(1);
        await (await Educator.PostAsync($"{Scenarios}/{id}/publish", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await Educator.DeleteAsync($"{Scenarios}/{id}/draft")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_learner_of_the_institution_cannot_create_edit_or_publish()
    {
        var (id, document) = await CreateAsync();

        await (await Learner.PostAsync(Scenarios, Body(NewDocument(UniqueSlug())))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await Learner.PostAsync($"{Scenarios}/import", Body(NewDocument(UniqueSlug())))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var edited = document.DeepClone().AsObject();
        edited["title"] = "A learner's edit";
        await (await Learner.PutAsync($"{Scenarios}/{id}/draft", Body(edited))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await Learner.PostAsync($"{Scenarios}/{id}/publish", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var draft = (await Educator.GetFromJsonAsync<JsonNode>($"{Scenarios}/{id}/draft"))!;
        draft["draftRevision"]!.GetValue<int>().Should().Be(1);
        draft["latestVersion"]!.GetValue<int>().Should().Be(0);
        (await WithDbAsync(db => db.Scenarios.CountAsync(s => s.InstitutionId == _institutionId))).Should().Be(1);
    }

    [Fact]
    public async Task Another_institutions_educator_finds_neither_the_draft_nor_the_scenario()
    {
        var (id, document) = await CreateAsync();

        await (await OtherEducator.GetAsync($"{Scenarios}/{id}/draft")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherEducator.PutAsync($"{Scenarios}/{id}/draft", Body(document))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherEducator.PostAsync($"{Scenarios}/{id}/publish", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherEducator.DeleteAsync($"{Scenarios}/{id}/draft")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await OtherEducator.GetFromJsonAsync<JsonArray>($"{Scenarios}/drafts"))!.Select(d => IdOf(d!)).Should().NotContain(id);

        await PublishAsync(id);
        await (await OtherEducator.GetAsync($"{Scenarios}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherEducator.PutAsync($"{Scenarios}/{id}/draft", Body(document))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await WithDbAsync(db => db.Scenarios.Where(s => s.Id == id).Select(s => s.Draft).SingleAsync())).Should().BeNull();
    }

    [Fact]
    public async Task Only_platform_admins_create_platform_wide_scenarios()
    {
        var slug = UniqueSlug("platform");

        var byEducator = await Educator.PostAsync($"{Scenarios}?scope=platform", Body(NewDocument(slug)));
        await byEducator.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await WithDbAsync(db => db.Scenarios.AnyAsync(s => s.Slug == slug))).Should().BeFalse();

        var byAdmin = await PlatformAdmin.PostAsync($"{Scenarios}?scope=platform", Body(NewDocument(slug)));
        byAdmin.StatusCode.Should().Be(HttpStatusCode.Created, await byAdmin.Content.ReadAsStringAsync());
        var created = await ReadNodeAsync(byAdmin);
        created["institutionId"].Should().BeNull("a platform-wide scenario has no institution");
        var id = IdOf(created);

        await (await Educator.GetAsync($"{Scenarios}/{id}/draft")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await PublishAsync(id, PlatformAdmin);
        var (status, _) = await GetAsync(OtherEducator, $"{Scenarios}/{id}");
        status.Should().Be(HttpStatusCode.OK, "a platform-wide scenario is read by every institution");
    }

    [Fact]
    public async Task A_platform_wide_slug_is_unique_among_platform_wide_scenarios_but_free_for_an_institution()
    {
        var seedSlug = BaseSlug;

        var platform = await PlatformAdmin.PostAsync($"{Scenarios}?scope=platform", Body(NewDocument(seedSlug)));
        var institution = await Educator.PostAsync(Scenarios, Body(NewDocument(seedSlug)));

        await platform.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        institution.StatusCode.Should().Be(HttpStatusCode.Created, await institution.Content.ReadAsStringAsync());
        (await WithDbAsync(db => db.Scenarios.CountAsync(s => s.Slug == seedSlug))).Should().Be(2);
    }

    [Fact]
    public async Task An_educator_cannot_edit_or_publish_a_platform_wide_seed()
    {
        var seed = ContentTestHost.SeedId(BaseSlug);
        var document = ContentTestHost.SeedDocument(BaseSlug);
        document["title"] = "Hijacked";

        await (await Educator.PostAsync($"{Scenarios}/{seed}/publish", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await Educator.PutAsync($"{Scenarios}/{seed}/draft", Body(document))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        (await WithDbAsync(db => db.ScenarioVersions.CountAsync(v => v.ScenarioId == seed))).Should().Be(1);
        (await WithDbAsync(db => db.Scenarios.Where(s => s.Id == seed).Select(s => s.Draft).SingleAsync())).Should().BeNull();

        var put = await PlatformAdmin.PutAsync($"{Scenarios}/{seed}/draft", Body(document));
        put.StatusCode.Should().Be(HttpStatusCode.OK, "platform admins author platform-wide scenarios");
        await (await Educator.PostAsync($"{Scenarios}/{seed}/publish", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await WithDbAsync(db => db.ScenarioVersions.CountAsync(v => v.ScenarioId == seed))).Should().Be(1);
    }
}

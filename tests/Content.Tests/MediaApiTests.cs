using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

/// <summary>Media over HTTP: upload (type from the bytes, size capped, names never paths), streaming with ranges and
/// ETags, listing, deleting, and who may do each, with the files on a real folder.</summary>
[Collection(ServersCollection.Name)]
public sealed class MediaApiTests : IAsyncLifetime
{
    private const string Scenarios = ContentTestHost.Scenarios;
    private const int MaxImageBytes = 2048;

    /// <summary>A real 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private readonly ServiceFactory<Program> _factory;
    private readonly string _media;
    private readonly Guid _institutionId = Guid.CreateVersion7();
    private readonly Guid _otherInstitutionId = Guid.CreateVersion7();

    public MediaApiTests(ServersFixture servers)
    {
        _factory = new ServiceFactory<Program>(servers, "contentdb");
        _media = ContentTestHost.Isolate(_factory);
        _factory.Settings["Media:MaxImageBytes"] = MaxImageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private HttpClient Educator => field ??= _factory.CreateClient(TestUser.Educator(_institutionId));

    private HttpClient Learner => field ??= _factory.CreateClient(TestUser.Learner(_institutionId));

    private HttpClient OtherEducator => field ??= _factory.CreateClient(TestUser.Educator(_otherInstitutionId));

    private HttpClient OtherLearner => field ??= _factory.CreateClient(TestUser.Learner(_otherInstitutionId));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (Directory.Exists(_media))
        {
            Directory.Delete(_media, recursive: true);
        }
    }

    private static byte[] Wav(int length) =>
        [.. "RIFF"u8.ToArray(), 0, 0, 0, 0, .. "WAVEfmt "u8.ToArray(), .. new byte[length - 16]];

    private HashSet<string> FilesOnDisk() =>
        Directory.Exists(_media) ? Directory.EnumerateFiles(_media, "*", SearchOption.AllDirectories).ToHashSet() : [];

    private async Task<Guid> CreateScenarioAsync(bool publish = true)
    {
        var document = ContentTestHost.SeedDocument("heart-failure-discharge-teach-back");
        document["slug"] = $"illustrated-{Guid.NewGuid():N}";
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

    /// <summary>A multipart upload; the file part's Content-Disposition is written as given, so the name reaches the
    /// server exactly as a hostile client would send it.</summary>
    private static MultipartFormDataContent Form(byte[]? bytes, string fileName = "portrait.png", string? contentType = "image/png",
        string? attachedTo = null, string? description = null)
    {
        var form = new MultipartFormDataContent();
        if (bytes is not null)
        {
            var file = new ByteArrayContent(bytes);
            if (contentType is not null)
            {
                file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            }

            file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; filename=\"{fileName.Replace("\\", "\\\\", StringComparison.Ordinal)}\"");
            form.Add(file);
        }

        if (attachedTo is not null)
        {
            form.Add(new StringContent(attachedTo), "attachedTo");
        }

        if (description is not null)
        {
            form.Add(new StringContent(description), "description");
        }

        return form;
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, Guid scenarioId, MultipartFormDataContent form)
    {
        var response = await client.PostAsync($"{Scenarios}/{scenarioId}/media", form);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var media = await response.ReadJsonAsync();
        response.Headers.Location!.OriginalString.Should().Be(media.GetProperty("url").GetString());
        return media;
    }

    private async Task<int> MediaRowsAsync(Guid scenarioId)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ContentDbContext>().MediaFiles.CountAsync(m => m.ScenarioId == scenarioId);
    }

    [Fact]
    public async Task An_uploaded_image_streams_back_identically_with_ranges_and_ETags_and_is_listed_on_its_scenario()
    {
        var id = await CreateScenarioAsync();

        var media = await UploadAsync(Educator, id, Form(Png, "chest x-ray.png", description: "A portrait"));

        media.GetProperty("kind").GetString().Should().Be("image");
        media.GetProperty("attachedTo").GetString().Should().Be("scenario");
        media.GetProperty("contentType").GetString().Should().Be("image/png");
        media.GetProperty("length").GetInt64().Should().Be(Png.Length);
        media.GetProperty("originalName").GetString().Should().Be("chest x-ray.png");
        media.GetProperty("description").GetString().Should().Be("A portrait");
        var mediaId = media.GetProperty("id").GetGuid();
        var url = media.GetProperty("url").GetString()!;
        url.Should().Be($"/v1/content/media/{mediaId}");
        FilesOnDisk().Should().ContainSingle().Which.Should().NotContain("chest");

        var whole = await Educator.GetAsync(url);
        whole.StatusCode.Should().Be(HttpStatusCode.OK);
        whole.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        (await whole.Content.ReadAsByteArrayAsync()).Should().Equal(Png);
        var etag = whole.Headers.ETag;
        etag.Should().NotBeNull();
        etag!.Tag.Should().Be($"\"{Convert.ToHexStringLower(SHA256.HashData(Png))}\"");

        using (var ranged = new HttpRequestMessage(HttpMethod.Get, url))
        {
            ranged.Headers.Range = new RangeHeaderValue(0, 9);
            var partial = await Educator.SendAsync(ranged);
            partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            (await partial.Content.ReadAsByteArrayAsync()).Should().Equal(Png.Take(10));
            var range = partial.Content.Headers.ContentRange!;
            (range.From, range.To, range.Length).Should().Be((0L, 9L, (long)Png.Length));
        }

        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.IfNoneMatch.Add(etag);
            (await Educator.SendAsync(conditional)).StatusCode.Should().Be(HttpStatusCode.NotModified);
        }

        var listed = await Educator.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}/media");
        listed.EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).Should().Equal(mediaId);
        var details = await Educator.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}");
        details.GetProperty("media").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).Should().Equal(mediaId);
        var learnerDetails = await Learner.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}");
        learnerDetails.GetProperty("media").EnumerateArray().Select(m => m.GetProperty("url").GetString()).Should().Equal(url);
    }

    [Fact]
    public async Task A_WAV_attached_to_the_persona_is_audio()
    {
        var id = await CreateScenarioAsync();
        var wav = Wav(4000);

        var media = await UploadAsync(Educator, id, Form(wav, "voice.wav", "audio/wav", attachedTo: "persona"));

        media.GetProperty("kind").GetString().Should().Be("audio");
        media.GetProperty("attachedTo").GetString().Should().Be("persona");
        media.GetProperty("contentType").GetString().Should().Be("audio/wav");
        media.GetProperty("length").GetInt64().Should().Be(wav.Length);
        var stream = await Educator.GetAsync(media.GetProperty("url").GetString());
        stream.Content.Headers.ContentType!.MediaType.Should().Be("audio/wav");
        (await stream.Content.ReadAsByteArrayAsync()).Should().Equal(wav);
    }

    public static TheoryData<string, HttpStatusCode, string, string> Rejections => new()
    {
        { "a text file named .png", HttpStatusCode.BadRequest, "file", "Only PNG" },
        { "a PNG declared as audio", HttpStatusCode.BadRequest, "file", "audio/mpeg" },
        { "an oversized image", HttpStatusCode.RequestEntityTooLarge, "", "larger than" },
        { "../evil.png", HttpStatusCode.BadRequest, "file", "plain name" },
        { "..\\evil.png", HttpStatusCode.BadRequest, "file", "plain name" },
        { "sub/evil.png", HttpStatusCode.BadRequest, "file", "plain name" },
        { "/etc/passwd", HttpStatusCode.BadRequest, "file", "plain name" },
        { "no file field", HttpStatusCode.BadRequest, "file", "exactly one file" },
        { "attachedTo=banana", HttpStatusCode.BadRequest, "attachedTo", "scenario or persona" },
    };

    private static MultipartFormDataContent RejectedForm(string how) => how switch
    {
        "a text file named .png" => Form("this is plain text, not an image at all"u8.ToArray(), "x.png", "image/png"),
        "a PNG declared as audio" => Form(Png, "x.png", "audio/mpeg"),
        "an oversized image" => Form([.. Png.Take(16), .. RandomNumberGenerator.GetBytes(MaxImageBytes + 1000)], "big.png"),
        "no file field" => Form(null, attachedTo: "scenario", description: "where is the file?"),
        "attachedTo=banana" => Form(Png, attachedTo: "banana"),
        var fileName => Form(Png, fileName),
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task A_rejected_upload_is_a_problem_and_leaves_no_file_and_no_row(string how, HttpStatusCode status, string field, string reason)
    {
        var id = await CreateScenarioAsync();
        var before = FilesOnDisk();
        var outside = Path.Combine(Path.GetDirectoryName(_media)!, "evil.png");
        var existedOutside = File.Exists(outside);

        var response = await Educator.PostAsync($"{Scenarios}/{id}/media", RejectedForm(how));

        var problem = await response.ShouldBeProblemAsync(status);
        if (field.Length > 0)
        {
            problem.GetProperty("errors").GetProperty(field)[0].GetString().Should().Contain(reason);
        }
        else
        {
            problem.GetProperty("detail").GetString().Should().Contain(reason);
        }

        FilesOnDisk().Should().BeEquivalentTo(before, "a rejected upload leaves nothing in the media folder");
        File.Exists(outside).Should().Be(existedOutside, "nothing is written outside the media folder");
        (await MediaRowsAsync(id)).Should().Be(0);
        (await Educator.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}/media")).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task An_image_at_the_limit_is_accepted()
    {
        var id = await CreateScenarioAsync();
        byte[] atLimit = [.. Png.Take(16), .. RandomNumberGenerator.GetBytes(MaxImageBytes - 16)];

        var media = await UploadAsync(Educator, id, Form(atLimit, "limit.png"));

        media.GetProperty("length").GetInt64().Should().Be(MaxImageBytes);
    }

    [Fact]
    public async Task Only_the_owning_institutions_educators_upload()
    {
        var id = await CreateScenarioAsync();

        await (await Learner.PostAsync($"{Scenarios}/{id}/media", Form(Png))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await OtherEducator.PostAsync($"{Scenarios}/{id}/media", Form(Png))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherEducator.PostAsync($"{Scenarios}/{ContentTestHost.SeedId("lung-cancer-breaking-bad-news")}/media", Form(Png)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        FilesOnDisk().Should().BeEmpty();
        (await MediaRowsAsync(id)).Should().Be(0);
    }

    [Fact]
    public async Task A_published_scenarios_media_streams_to_its_institutions_learners_only()
    {
        var id = await CreateScenarioAsync();
        var url = (await UploadAsync(Educator, id, Form(Png))).GetProperty("url").GetString()!;

        var mine = await Learner.GetAsync(url);
        mine.StatusCode.Should().Be(HttpStatusCode.OK);
        (await mine.Content.ReadAsByteArrayAsync()).Should().Equal(Png);
        (await Learner.GetAsync($"{Scenarios}/{id}/media")).StatusCode.Should().Be(HttpStatusCode.OK);

        await (await OtherLearner.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherEducator.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherLearner.GetAsync($"{Scenarios}/{id}/media")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await OtherEducator.DeleteAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Learner.DeleteAsync(url)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        FilesOnDisk().Should().ContainSingle();
    }

    [Fact]
    public async Task An_unpublished_scenarios_media_is_for_its_authors_only()
    {
        var id = await CreateScenarioAsync(publish: false);
        var url = (await UploadAsync(Educator, id, Form(Png))).GetProperty("url").GetString()!;

        (await Educator.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await Learner.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Learner.GetAsync($"{Scenarios}/{id}/media")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_removes_the_row_and_the_file()
    {
        var id = await CreateScenarioAsync();
        var before = FilesOnDisk();
        var media = await UploadAsync(Educator, id, Form(Png));
        var url = media.GetProperty("url").GetString()!;
        var stored = FilesOnDisk().Except(before).Should().ContainSingle().Subject;

        var delete = await Educator.DeleteAsync(url);

        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        File.Exists(stored).Should().BeFalse();
        await (await Educator.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await Learner.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await MediaRowsAsync(id)).Should().Be(0);
        (await Educator.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}/media")).GetArrayLength().Should().Be(0);
        (await Educator.GetFromJsonAsync<JsonElement>($"{Scenarios}/{id}")).GetProperty("media").GetArrayLength().Should().Be(0);
        await (await Educator.DeleteAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Discarding_a_never_published_scenario_removes_its_media_files()
    {
        var id = await CreateScenarioAsync(publish: false);
        await UploadAsync(Educator, id, Form(Png));
        await UploadAsync(Educator, id, Form(Wav(1000), "voice.wav", "audio/wav", attachedTo: "persona"));
        FilesOnDisk().Should().HaveCount(2);

        (await Educator.DeleteAsync($"{Scenarios}/{id}/draft")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        FilesOnDisk().Should().BeEmpty();
        (await MediaRowsAsync(id)).Should().Be(0);
    }
}

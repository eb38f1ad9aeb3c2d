using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

/// <summary>
/// What every content test class shares: its own database (the factory's), its own event streams and cache keys in
/// the shared Redis (so one class's ScenarioPublished never invalidates another's cache), its own media folder, and
/// the seed library loaded as in Development.
/// </summary>
public static class ContentTestHost
{
    public const string Scenarios = "/v1/content/scenarios";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Isolates <paramref name="factory"/>; returns its media folder.</summary>
    public static string Isolate(ServiceFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var media = TestDirectories.Create("content-media");
        factory.Settings["EventBus:StreamPrefix"] = $"events-{factory.DatabaseName}";
        factory.Settings["Content:CatalogueCache:KeyPrefix"] = $"catalogue-{factory.DatabaseName}";
        factory.Settings["Content:SeedLibrary:Load"] = "true";
        factory.Settings["Media:RootDirectory"] = media;
        return media;
    }

    /// <summary>The id the seed library gives the scenario with <paramref name="slug"/>.</summary>
    public static Guid SeedId(string slug) => SeedLibraryLoader.IdFor(slug);

    /// <summary>A seed document as a mutable JSON tree, to make a new scenario from (change its slug first).</summary>
    public static JsonObject SeedDocument(string slug)
    {
        var document = SeedLibrary.Load().Single(d => d.Slug == slug);
        return JsonSerializer.SerializeToNode(document, SeedLibrary.JsonOptions)!.AsObject();
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

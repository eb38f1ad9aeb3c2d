using System.Text.Json;
using System.Text.Json.Serialization;
using PracticePlatform.Content.Model;

namespace PracticePlatform.Content.Infrastructure;

/// <summary>
/// The platform's seed library: one <see cref="ScenarioDocument"/> per JSON file under Infrastructure/SeedLibrary,
/// embedded in this assembly as "SeedLibrary/&lt;slug&gt;.json".
/// </summary>
public static class SeedLibrary
{
    private const string ResourcePrefix = "SeedLibrary/";

    /// <summary>The strict JSON options of the scenario document format: web defaults, camelCase enums, no unknown
    /// properties, required and non-nullable members enforced. Shared with the import/export API.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    /// <summary>Every embedded seed scenario, ordered by resource name.</summary>
    public static IReadOnlyList<ScenarioDocument> Load()
    {
        var assembly = typeof(SeedLibrary).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();

        var documents = new List<ScenarioDocument>(names.Count);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Seed library resource '{name}' could not be opened.");
            documents.Add(Parse(name, stream));
        }

        return documents;
    }

    /// <summary>Reads one scenario document; throws <see cref="InvalidOperationException"/> naming
    /// <paramref name="name"/> and the JSON error when it does not parse.</summary>
    public static ScenarioDocument Parse(string name, Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        try
        {
            return JsonSerializer.Deserialize<ScenarioDocument>(utf8Json, JsonOptions)
                ?? throw new InvalidOperationException($"Seed library file '{name}' is empty (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Seed library file '{name}' is not a valid scenario document: {e.Message}", e);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticePlatform.Ai.Feedback.Evaluation;

/// <summary>One item's label: present or not, and the clinician turns that perform it.</summary>
public sealed record ItemLabel(bool Present, IReadOnlyList<int> Evidence);

/// <summary>
/// A label file of the evaluation set (<c>{ "id", "items": { "greeting": { "present", "evidence" } } }</c>), gold
/// or predicted.
/// </summary>
public sealed record ConsultationLabels(string Id, IReadOnlyDictionary<string, ItemLabel> Items)
{
    private static readonly JsonSerializerOptions Format = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <exception cref="FormatException">The file is not a label file.</exception>
    public static ConsultationLabels Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("A label file is an object with an \"items\" object.");
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : string.Empty;
            var labels = new Dictionary<string, ItemLabel>(StringComparer.Ordinal);
            foreach (var item in items.EnumerateObject())
            {
                if (item.Value.ValueKind != JsonValueKind.Object || !item.Value.TryGetProperty("present", out var present)
                    || present.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new FormatException($"Item \"{item.Name}\" needs a boolean \"present\".");
                }

                var evidence = item.Value.TryGetProperty("evidence", out var turns) && turns.ValueKind == JsonValueKind.Array
                    ? turns.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Number).Select(t => t.GetInt32()).ToList()
                    : [];
                labels[item.Name] = new ItemLabel(present.GetBoolean(), evidence);
            }

            return new ConsultationLabels(id, labels);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The label an assessment gives: every essential with its presence and evidence turns.</summary>
    public static ConsultationLabels From(string id, FeedbackAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var items = assessment.Items
            .Where(i => i.Kind == ItemAssessment.EssentialKind)
            .ToDictionary(i => i.Code, i => new ItemLabel(i.Present, i.Evidence.Select(e => e.Turn).Distinct().Order().ToList()), StringComparer.Ordinal);
        return new ConsultationLabels(id, items);
    }

    public string ToJson() => JsonSerializer.Serialize(
        new { id = Id, items = ConsultationRubric.Codes.Where(Items.ContainsKey).Concat(Items.Keys.Except(ConsultationRubric.Codes)).ToDictionary(c => c, c => new { present = Items[c].Present, evidence = Items[c].Evidence }) },
        Format);
}

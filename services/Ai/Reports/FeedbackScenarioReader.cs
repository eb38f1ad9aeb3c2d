using System.Globalization;
using System.Text.Json;
using PracticePlatform.Ai.Feedback;
using PracticePlatform.Ai.Model;
using PracticePlatform.Ai.Patient;

namespace PracticePlatform.Ai.Reports;

/// <summary>What a scenario version adds to the consultation essentials: its hidden facts and content items, read
/// leniently from ai's copy of the document (a missing copy scores the essentials alone).</summary>
public static class FeedbackScenarioReader
{
    public static FeedbackScenario Read(ScenarioSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            return FeedbackScenario.None;
        }

        using var document = JsonDocument.Parse(snapshot.Document);
        var root = document.RootElement;
        var patient = PatientScenario.Parse(root);
        var facts = patient.Persona.HiddenFacts
            .Select(f => new ScenarioHiddenFact(f.Code, f.Fact, f.Triggers))
            .ToList();
        var items = new List<ScenarioContentItem>();
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("contentItems", out var contentItems)
            && contentItems.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in contentItems.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object
                    && Text(item, "code") is { Length: > 0 } code
                    && Text(item, "description") is { Length: > 0 } description)
                {
                    items.Add(new ScenarioContentItem(code, description, Weight(item)));
                }
            }
        }

        return new FeedbackScenario(snapshot.Title, facts, items);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null;

    private static double Weight(JsonElement item) =>
        item.TryGetProperty("weight", out var weight) && weight.ValueKind == JsonValueKind.Number && weight.TryGetDouble(out var value) && value > 0
            ? value
            : item.TryGetProperty("weight", out weight) && weight.ValueKind == JsonValueKind.String
                && double.TryParse(weight.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0
                ? value
                : 1;
}

using System.Text.Json;
using PracticePlatform.Ai.Feedback.Offline;

namespace PracticePlatform.Ai.Feedback.OpenAi;

/// <summary>
/// Turns the model's JSON into a <see cref="FeedbackAssessment"/> that keeps the contract: unknown codes are dropped,
/// missing items come from the offline assessment, evidence must cite existing clinician turns and quote them verbatim
/// (a quote that is not a substring is replaced by the start of the turn's text), cues must cite patient turns.
/// </summary>
internal static class ModelAssessmentReader
{
    private const int PrefixLength = 160;

    /// <exception cref="FormatException">The reply is not a JSON object with an "items" array.</exception>
    public static FeedbackAssessment Read(string json, ConsultationTranscript transcript, FeedbackScenario scenario, FeedbackAssessment offline)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The model's reply is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var itemsElement) || itemsElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The model's reply has no \"items\" array.");
            }

            var turns = transcript.Turns.GroupBy(t => t.Index).ToDictionary(g => g.Key, g => g.First());
            var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var element in itemsElement.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                {
                    given.TryAdd(code.GetString()!, element);
                }
            }

            var items = offline.Items
                .Select(fallback => given.TryGetValue(fallback.Code, out var element) ? Item(element, fallback, turns) ?? fallback : fallback)
                .ToList();

            var report = OfflineFeedbackEngine.Report(items, scenario);
            var rating = root.TryGetProperty("globalRating", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var value) && value is >= 1 and <= 5
                ? value
                : report.GlobalRating;
            var strengths = Sentences(root, "strengths");
            var goals = Sentences(root, "goals");
            return new FeedbackAssessment(
                items,
                rating,
                strengths.Count > 0 ? strengths : report.Strengths,
                goals.Count > 0 ? goals : report.Goals);
        }
    }

    private static ItemAssessment? Item(JsonElement element, ItemAssessment fallback, Dictionary<int, ConsultationTurn> turns)
    {
        if (!element.TryGetProperty("present", out var presentElement) || presentElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return null;
        }

        var present = presentElement.GetBoolean();
        var evidence = new List<EvidenceQuote>();
        if (present && element.TryGetProperty("evidence", out var evidenceElement) && evidenceElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var quote in evidenceElement.EnumerateArray())
            {
                if (Cited(quote, "quote", turns, t => t.IsClinician) is { } cited && evidence.All(e => e.Turn != cited.Turn.Index))
                {
                    evidence.Add(new EvidenceQuote(cited.Turn.Index, cited.Text));
                }
            }
        }

        MissedOpportunity? missed = null;
        if (element.TryGetProperty("missedOpportunity", out var missedElement) && missedElement.ValueKind == JsonValueKind.Object
            && Cited(missedElement, "cue", turns, t => t.IsPatient) is { } cue)
        {
            missed = new MissedOpportunity(cue.Turn.Index, cue.Text, Text(missedElement, "note") ?? string.Empty);
        }

        return fallback with
        {
            Present = present,
            Score = present ? 1 : 0,
            Evidence = evidence,
            MissedOpportunity = missed,
            Suggestion = Text(element, "suggestion"),
        };
    }

    /// <summary>The cited turn if it exists and is of the right speaker, with the quote kept when verbatim.</summary>
    private static (ConsultationTurn Turn, string Text)? Cited(JsonElement element, string quoteName, Dictionary<int, ConsultationTurn> turns, Func<ConsultationTurn, bool> speaker)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("turn", out var turnElement)
            || turnElement.ValueKind != JsonValueKind.Number || !turnElement.TryGetInt32(out var index)
            || !turns.TryGetValue(index, out var turn) || !speaker(turn))
        {
            return null;
        }

        var quote = Text(element, quoteName)?.Trim();
        return (turn, !string.IsNullOrEmpty(quote) && turn.Text.Contains(quote, StringComparison.Ordinal) ? quote : Prefix(turn.Text));
    }

    private static string Prefix(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= PrefixLength ? trimmed : trimmed[..PrefixLength];
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    private static List<string> Sentences(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString())).Select(e => e.GetString()!.Trim()).Take(3).ToList()
            : [];
}

using System.Text.Json;

namespace PracticePlatform.Ai.Feedback;

/// <summary>
/// Reads the transcript JSON format of the evaluation set:
/// <c>{ "id", "turns": [ { "index", "speaker", "text" } ] }</c>; start/end and unknown members are ignored.
/// </summary>
public static class ConsultationTranscriptFile
{
    public static ConsultationTranscript Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), Path.GetFileNameWithoutExtension(path));
    }

    /// <exception cref="FormatException">The text is not JSON of that shape.</exception>
    public static ConsultationTranscript Parse(string json, string fallbackId = "")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("A transcript is a JSON object.");
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()!
                : fallbackId;
            if (!root.TryGetProperty("turns", out var turnsElement) || turnsElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("A transcript needs a \"turns\" array.");
            }

            var turns = new List<ConsultationTurn>();
            var position = 0;
            foreach (var turn in turnsElement.EnumerateArray())
            {
                if (turn.ValueKind != JsonValueKind.Object
                    || !turn.TryGetProperty("speaker", out var speaker) || speaker.ValueKind != JsonValueKind.String
                    || !turn.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                {
                    throw new FormatException($"Turn {position} needs a \"speaker\" and a \"text\" string.");
                }

                var index = turn.TryGetProperty("index", out var indexElement) && indexElement.ValueKind == JsonValueKind.Number
                    ? indexElement.GetInt32()
                    : position;
                turns.Add(new ConsultationTurn(index, speaker.GetString()!.Trim().ToLowerInvariant(), text.GetString()!));
                position++;
            }

            return new ConsultationTranscript(id, turns);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not valid JSON: {ex.Message}", ex);
        }
    }
}

using System.Text.RegularExpressions;

namespace PracticePlatform.Ai.Feedback.Offline;

/// <summary>One sentence of a turn: where it sits in the turn's text (so quotes stay verbatim) and its cleaned words.</summary>
internal sealed record SpokenSentence(int Start, int Length, string Clean, bool IsQuestion)
{
    public int End => Start + Length;
}

/// <summary>A turn split into sentences, with its position in the consultation (0 at the start, 1 at the end).</summary>
internal sealed record ReadTurn(ConsultationTurn Turn, int Position, double Progress, IReadOnlyList<SpokenSentence> Sentences)
{
    public string Quote(SpokenSentence sentence) => Turn.Text.Substring(sentence.Start, sentence.Length);

    /// <summary>The verbatim text from the first sentence's start to the last one's end.</summary>
    public string Quote(SpokenSentence first, SpokenSentence last) => Turn.Text[first.Start..last.End];

    public string Clean => string.Join(' ', Sentences.Select(s => s.Clean));
}

/// <summary>
/// The transcript as the rules read it: every turn split into sentences, each sentence lower-cased with transcription
/// tags (<c>[inaudible]</c>, <c>&lt;INAUDIBLE_SPEECH/&gt;</c>) and disfluencies (um, uh, er) taken out, so the rules
/// match what was said rather than how it was transcribed.
/// </summary>
internal sealed partial class ConsultationReading
{
    private ConsultationReading(IReadOnlyList<ReadTurn> turns)
    {
        Turns = turns;
        ClinicianTurns = turns.Where(t => t.Turn.IsClinician).ToList();
        PatientTurns = turns.Where(t => t.Turn.IsPatient).ToList();
    }

    public IReadOnlyList<ReadTurn> Turns { get; }

    public IReadOnlyList<ReadTurn> ClinicianTurns { get; }

    public IReadOnlyList<ReadTurn> PatientTurns { get; }

    public static ConsultationReading Read(ConsultationTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var count = transcript.Turns.Count;
        var turns = transcript.Turns
            .Select((turn, position) => new ReadTurn(turn, position, count <= 1 ? 0 : (double)position / (count - 1), Split(turn.Text ?? string.Empty)))
            .ToList();
        return new ConsultationReading(turns);
    }

    /// <summary>The clinician turns after <paramref name="turn"/>, nearest first.</summary>
    public IEnumerable<ReadTurn> ClinicianTurnsAfter(ReadTurn turn) => ClinicianTurns.Where(t => t.Position > turn.Position);

    public static IReadOnlyList<SpokenSentence> Split(string text)
    {
        var sentences = new List<SpokenSentence>();
        var start = 0;
        foreach (Match boundary in SentenceBoundary().Matches(text))
        {
            Add(sentences, text, start, boundary.Index);
            start = boundary.Index + boundary.Length;
        }

        Add(sentences, text, start, text.Length);
        return sentences;
    }

    private static void Add(List<SpokenSentence> sentences, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end <= start)
        {
            return;
        }

        var raw = text[start..end];
        var clean = Clean(raw);
        if (clean.Length == 0)
        {
            return;
        }

        // Quotes start at the first word said: leading tags and "um," are left out of the quoted range.
        var noise = LeadingNoise().Match(raw);
        if (noise.Success && noise.Length < raw.Length)
        {
            start += noise.Length;
            raw = text[start..end];
        }

        var isQuestion = raw.Contains('?', StringComparison.Ordinal) || QuestionOpening().IsMatch(clean);
        sentences.Add(new SpokenSentence(start, end - start, clean, isQuestion));
    }

    /// <summary>Lower case, no tags, no disfluencies, straight apostrophes, single spaces, no end punctuation.</summary>
    public static string Clean(string raw)
    {
        var text = raw.Replace('\u2019', '\'').Replace('\u2018', '\'').ToLowerInvariant();
        text = Tag().Replace(text, " ");
        text = Disfluency().Replace(text, " ");
        text = Spaces().Replace(text, " ").Trim();
        text = LeadingPunctuation().Replace(text, string.Empty);
        return text.TrimEnd('.', '?', '!', ',', ' ');
    }

    public static IReadOnlyList<string> Words(string clean) => Word().Matches(clean).Select(m => m.Value).ToList();

    [GeneratedRegex(@"(?<=[.?!])\s+")]
    private static partial Regex SentenceBoundary();

    [GeneratedRegex(@"\[[^\]]*\]|<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?<![\w'])(?:u+m+|u+h+|e+r+m*|hm+|mm+|mhm|ah+|uh-huh)(?![\w'])[,.]?")]
    private static partial Regex Disfluency();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?:\s*(?:\[[^\]]*\]|<[^>]*>|(?:u+m+|u+h+|e+r+m*|hm+|mm+)(?![\w'])[,.]?))+\s*", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingNoise();

    [GeneratedRegex(@"^[\s,.;:!?-]+")]
    private static partial Regex LeadingPunctuation();

    [GeneratedRegex(@"[a-z0-9]+(?:'[a-z]+)?")]
    private static partial Regex Word();

    [GeneratedRegex(@"^(?:(?:and|so|ok|okay|right|now|but|just|then|well|great|good|fine)[ ,]+)*(?:(?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|any|may)\b|(?:how|what|when|where|why|which|who)(?:'s| (?:do|does|did|is|are|was|were|have|has|had|can|could|would|will|about|else|kind|sort|type|time|age|brings|brought|happened|medication|medicines|you)\b))")]
    private static partial Regex QuestionOpening();
}

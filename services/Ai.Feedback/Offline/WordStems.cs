namespace PracticePlatform.Ai.Feedback.Offline;

/// <summary>
/// Crude English stemming and stop words, enough to say that "smoking" in a question and "smoke" in a fact are the same
/// word. Not a linguistic stemmer: both sides of every comparison go through the same function, which is what matters.
/// </summary>
internal static class WordStems
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "about", "after", "all", "also", "an", "and", "any", "anything", "are", "as", "ask", "asks", "at", "be", "been",
        "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "get", "got", "had",
        "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "it's", "just", "like", "me",
        "my", "no", "not", "of", "on", "or", "our", "out", "she", "so", "some", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "those", "to", "up", "was", "we", "were", "what", "when", "where", "which", "who",
        "why", "will", "with", "would", "you", "your", "yes", "yeah", "ok", "okay", "um", "uh", "patient", "learner",
        "clinician", "explains", "explain", "plain", "words", "word", "asked", "asking", "whether", "any", "other", "very",
        "really", "than", "more", "much", "many", "one", "two", "he's", "she's", "i'm", "you're", "don't", "doesn't",
    ];

    public static HashSet<string> Of(string text) =>
        ConsultationReading.Words(ConsultationReading.Clean(text))
            .Where(w => w.Length > 1 && !StopWords.Contains(w))
            .Select(Stem)
            .ToHashSet(StringComparer.Ordinal);

    public static string Stem(string word)
    {
        var w = word.Replace("'s", string.Empty, StringComparison.Ordinal);
        foreach (var suffix in (ReadOnlySpan<string>)["ational", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s", "e", "y"])
        {
            if (w.Length - suffix.Length >= 3 && w.EndsWith(suffix, StringComparison.Ordinal))
            {
                w = w[..^suffix.Length];
                break;
            }
        }

        // "smok(e)", "smok(ing)", "smok(er)" meet at "smok"; doubled endings ("stopp(ed)") are undoubled.
        if (w.Length > 3 && w[^1] == w[^2] && !"aeiouls".Contains(w[^1], StringComparison.Ordinal))
        {
            w = w[..^1];
        }

        return w;
    }
}

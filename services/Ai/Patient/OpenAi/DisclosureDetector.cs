using System.Text;

namespace PracticePlatform.Ai.Patient.OpenAi;

/// <summary>
/// Which hidden facts a model-written reply disclosed. A model paraphrases, so this is a heuristic on words: a fact's
/// <em>distinctive words</em> are the words of its text of four or more characters (or numbers) that are not common
/// English words and do not appear in what the patient may say freely (background, complaint, histories, phrases,
/// opening line). A reply discloses the fact when it contains at least two of them (one when the fact has only one),
/// words matching when equal or when both have five or more characters and share the first five (so "smoke" matches
/// "smokes", "drinking" matches "drinks"). It can miss a disclosure worded entirely differently and, rarely, count a
/// reply that merely echoes the clinician's question.
/// </summary>
internal sealed class DisclosureDetector
{
    private const int StemLength = 5;

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "about", "after", "again", "also", "been", "before", "being", "could", "does", "done", "down", "each", "even",
        "ever", "every", "from", "have", "having", "here", "into", "just", "know", "last", "like", "made", "make", "many",
        "more", "most", "much", "must", "never", "only", "other", "over", "said", "same", "should", "since", "some",
        "still", "such", "than", "that", "their", "them", "then", "there", "these", "they", "thing", "things", "this",
        "those", "time", "times", "very", "want", "well", "were", "what", "when", "where", "which", "while", "will",
        "with", "would", "your", "yours", "yourself", "himself", "herself", "learner", "patient", "asks", "asked",
    };

    private readonly (string Code, string[] Words)[] _facts;

    public DisclosureDetector(PatientScenario scenario)
    {
        var persona = scenario.Persona;
        var shared = new HashSet<string>(Tokens(string.Join(' ', new[]
        {
            persona.Background, persona.PresentingComplaint, persona.History, persona.SocialHistory, persona.FamilyHistory,
            persona.Personality, persona.Occupation, scenario.Flow.OpeningLine, string.Join(' ', persona.Phrases),
            string.Join(' ', persona.Medications.Select(m => $"{m.Name} {m.Dose} {m.Notes}")),
        })), StringComparer.Ordinal);
        _facts = persona.HiddenFacts
            .Select(f => (f.Code, Tokens(f.Fact).Where(w => !Common.Contains(w) && !shared.Any(s => Matches(s, w))).Distinct().ToArray()))
            .Where(f => f.Item2.Length > 0)
            .ToArray();
    }

    /// <summary>The codes of the facts disclosed by any of <paramref name="texts"/>, in scenario order.</summary>
    public IReadOnlyList<string> Disclosed(IEnumerable<string> texts)
    {
        var said = texts.SelectMany(Tokens).Distinct().ToList();
        return _facts
            .Where(f => f.Words.Count(w => said.Any(s => Matches(s, w))) >= Math.Min(2, f.Words.Length))
            .Select(f => f.Code)
            .ToList();
    }

    private static bool Matches(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal)
        || (a.Length >= StemLength && b.Length >= StemLength && string.CompareOrdinal(a, 0, b, 0, StemLength) == 0);

    /// <summary>Lower-case words of four or more letters, and numbers, of <paramref name="text"/>.</summary>
    private static IEnumerable<string> Tokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        // Anything but a letter or digit ends a word, so "friend's" gives "friend" (and a dropped "s").
        var word = new StringBuilder();
        foreach (var c in text + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                var ended = word.ToString();
                word.Clear();
                if (Keep(ended))
                {
                    yield return ended;
                }
            }
        }
    }

    private static bool Keep(string word) => word.Length >= 4 || (word.Length >= 2 && word.All(char.IsDigit));
}

using System.Runtime.CompilerServices;

namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>A hidden fact, ready to match and to say.</summary>
internal sealed record CompiledFact(
    string Code,
    string FirstPerson,
    string Brief,
    string[][] Triggers,
    string[] ContentWords,
    bool IsConcern,
    int Order);

/// <summary>A persona phrase with its words.</summary>
internal sealed record Phrase(string Text, string[] Tokens, bool IsQuestion, string Key);

/// <summary>
/// Everything the offline patient derives from a <see cref="PatientScenario"/> once: first-person answers, hidden-fact
/// matchers, emotional-change and branch matchers, vocabulary. Cached per scenario instance (the service keeps parsed
/// scenario versions in memory), so a turn never re-parses the scenario's free text.
/// </summary>
internal sealed class CompiledScenario
{
    private static readonly ConditionalWeakTable<PatientScenario, CompiledScenario> Cache = [];

    private static readonly string[] ConcernStems =
        ["worr", "concern", "fear", "afraid", "scare", "frighten", "feel", "guilt", "matter", "hope", "expect", "want", "wish", "burden"];

    private CompiledScenario(PatientScenario scenario)
    {
        Scenario = scenario;
        var persona = scenario.Persona;
        Persona = persona;
        var gender = persona.Gender.Trim().ToLowerInvariant();
        IsFemale = gender.StartsWith('w') || gender.StartsWith('f') || gender.StartsWith("girl", StringComparison.Ordinal);
        IsMale = !IsFemale && (gender.StartsWith('m') || gender.StartsWith("boy", StringComparison.Ordinal));
        var nameTokens = Words.Tokenize(persona.Name);
        FirstNameLower = nameTokens.Length > 0 ? nameTokens[0] : string.Empty;
        NameWords = new HashSet<string>(nameTokens, StringComparer.Ordinal);
        Limited = persona.EnglishProficiency == "limited";

        Vocabulary = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in AllTexts(scenario))
        {
            Vocabulary.UnionWith(Words.Tokenize(Words.Normalize(text)));
        }

        Facts = [.. persona.HiddenFacts.Select((f, i) => CompileFact(f, i))];
        var conditions = new List<CompiledCondition>();
        foreach (var (change, i) in persona.EmotionalState.Changes.Select((c, i) => (c, i)))
        {
            conditions.Add(CompiledCondition.Compile(change.Trigger, change.Becomes, null, isBranch: false, i, Facts));
        }

        foreach (var (branch, i) in scenario.Flow.Branches.Select((b, i) => (b, i)))
        {
            conditions.Add(CompiledCondition.Compile(branch.When, branch.PatientState, branch.PatientResponse, isBranch: true, i, Facts));
        }

        Conditions = [.. conditions];
        Phrases = [.. persona.Phrases.Select(p => new Phrase(p, Words.Tokenize(Words.Normalize(p)), p.TrimEnd().EndsWith('?'), Key(p)))];
        OpeningLine = scenario.Flow.OpeningLine.Trim();
        OpeningKey = Key(OpeningLine);

        Complaint = ComplaintSentence(persona.PresentingComplaint);
        HistorySentences = Voice.NoteSentences(persona.History, this);
        SocialSentences = Voice.NoteSentences(persona.SocialHistory, this);
        FamilySentences = Voice.NoteSentences(persona.FamilyHistory, this);
        BackgroundSentences = Voice.NoteSentences(persona.Background, this);
        OtherNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in new[] { persona.Background, persona.SocialHistory, persona.FamilyHistory })
        {
            var words = text.Split([' ', ',', '.', ';', ':', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < words.Length; i++)
            {
                var w = words[i].TrimEnd('\'', 's');
                if (w.Length > 2 && char.IsUpper(w[0]) && w.Skip(1).All(char.IsLower) && !NameWords.Contains(w.ToLowerInvariant()))
                {
                    OtherNames.Add(w.ToLowerInvariant());
                }
            }
        }

        Focus = FocusOf(persona.PresentingComplaint + " " + scenario.Flow.OpeningLine);
    }

    public PatientScenario Scenario { get; }

    public PatientPersona Persona { get; }

    public bool IsFemale { get; }

    public bool IsMale { get; }

    public string FirstNameLower { get; }

    public HashSet<string> NameWords { get; }

    public bool Limited { get; }

    public HashSet<string> Vocabulary { get; }

    /// <summary>Other people's names in the persona (family members), lower case.</summary>
    public HashSet<string> OtherNames { get; }

    public CompiledFact[] Facts { get; }

    public CompiledCondition[] Conditions { get; }

    public Phrase[] Phrases { get; }

    public string OpeningLine { get; }

    public string OpeningKey { get; }

    public string Complaint { get; }

    public List<string> HistorySentences { get; }

    public List<string> SocialSentences { get; }

    public List<string> FamilySentences { get; }

    public List<string> BackgroundSentences { get; }

    /// <summary>What the patient is here about, in their words ("my chest"), for in-role confusion.</summary>
    public string Focus { get; }

    public static CompiledScenario For(PatientScenario scenario) => Cache.GetValue(scenario, s => new CompiledScenario(s));

    /// <summary>A comparison key for "was this already said": lower-case letters and digits only.</summary>
    public static string Key(string text)
    {
        Span<char> buffer = text.Length <= 512 ? stackalloc char[text.Length] : new char[text.Length];
        var n = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..n]);
    }

    private static IEnumerable<string> AllTexts(PatientScenario scenario)
    {
        var p = scenario.Persona;
        yield return p.Name;
        yield return p.Occupation;
        yield return p.Background;
        yield return p.PresentingComplaint;
        yield return p.History;
        yield return p.SocialHistory;
        yield return p.FamilyHistory;
        yield return p.Personality;
        yield return p.EmotionalState.Initial;
        foreach (var m in p.Medications)
        {
            yield return m.Name + " " + m.Dose + " " + m.Notes;
        }

        foreach (var a in p.Allergies)
        {
            yield return a;
        }

        foreach (var c in p.EmotionalState.Changes)
        {
            yield return c.Trigger + " " + c.Becomes;
        }

        foreach (var f in p.HiddenFacts)
        {
            yield return f.Fact + " " + f.DisclosedWhen + " " + string.Join(' ', f.Triggers);
        }

        foreach (var phrase in p.Phrases)
        {
            yield return phrase;
        }

        yield return scenario.Flow.OpeningLine;
        foreach (var t in scenario.Flow.Topics)
        {
            yield return t.Description + " " + string.Join(' ', t.ExamplePhrasings);
        }

        foreach (var b in scenario.Flow.Branches)
        {
            yield return b.When + " " + b.PatientState + " " + b.PatientResponse;
        }

        yield return scenario.Title;
        yield return scenario.Setting;
    }

    private CompiledFact CompileFact(PatientHiddenFact fact, int order)
    {
        var firstPerson = string.Join(' ', Voice.SplitSentences(Words.Normalize(fact.Fact)).Select(s => Voice.ToFirstPerson(s, this)));
        var triggers = fact.Triggers.Select(t => Words.Tokenize(Words.Normalize(t))).Where(t => t.Length > 0).ToArray();
        var content = Words.Tokenize(firstPerson).Where(w => w.Length >= 4 && !Lexicon.Stopwords.Contains(w) && !Lexicon.Common.Contains(w)).Distinct().ToArray();
        var concern = triggers.Any(t => ConcernStems.Any(c => t[0].StartsWith(c, StringComparison.Ordinal))) ||
            Words.Tokenize(fact.DisclosedWhen).Any(w => ConcernStems.Any(c => w.StartsWith(c, StringComparison.Ordinal)));
        return new CompiledFact(fact.Code, firstPerson, BriefOf(firstPerson), triggers, content, concern, order);
    }

    /// <summary>The first clause of a first-person fact, for "like I said, ...".</summary>
    private static string BriefOf(string firstPerson)
    {
        var sentence = Voice.SplitSentences(firstPerson).FirstOrDefault() ?? firstPerson;
        var cut = sentence.Length;
        foreach (var marker in new[] { ", ", "; ", " because ", " and ", " but " })
        {
            var at = sentence.IndexOf(marker, StringComparison.Ordinal);
            if (at > 15 && at < cut)
            {
                cut = at;
            }
        }

        return sentence[..cut].TrimEnd('.', ' ', ',');
    }

    private string ComplaintSentence(string complaint)
    {
        var sentences = Voice.SplitSentences(Words.Normalize(complaint));
        if (sentences.Count == 0)
        {
            return string.Empty;
        }

        var spoken = new List<string>();
        foreach (var sentence in sentences)
        {
            var converted = Voice.NoteToSpeech(sentence, this);
            if (!(converted.StartsWith("I ", StringComparison.Ordinal) || converted.StartsWith("I'", StringComparison.Ordinal) ||
                converted.StartsWith("My ", StringComparison.Ordinal)))
            {
                converted = "I'm here about " + (converted.Length > 1 && char.IsUpper(converted[0]) && !char.IsUpper(converted[1])
                    ? char.ToLowerInvariant(converted[0]) + converted[1..]
                    : converted);
            }

            spoken.Add(converted.Replace(";", ", and", StringComparison.Ordinal));
        }

        return string.Join(' ', spoken);
    }

    private static string FocusOf(string text)
    {
        var tokens = Words.Tokenize(text);
        (string Word, string Focus)[] map =
        [
            ("chest", "my chest"), ("headache", "my headache"), ("head", "my head"), ("hip", "my dad"), ("sleep", "my sleep"),
            ("sugar", "my sugar"), ("pressure", "my blood pressure"), ("results", "my results"), ("temperature", "my little one"),
            ("gallbladder", "my operation"), ("inhaler", "my breathing"), ("breath", "my breathing"), ("home", "going home"),
            ("pain", "my pain"),
        ];
        foreach (var (word, focus) in map)
        {
            if (tokens.Contains(word))
            {
                return focus;
            }
        }

        return "why I'm here";
    }
}

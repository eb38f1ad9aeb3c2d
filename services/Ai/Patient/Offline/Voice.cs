using System.Text;

namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>
/// Rewrites the scenario's third-person notes ("He smokes about twenty roll-ups a day", "Married, two teenage sons")
/// into the patient's first person ("I smoke about twenty roll-ups a day", "I'm married, two teenage sons"), and a
/// clinician's explanation into the patient's restatement ("we'll do a blood test" → "you'll do a blood test").
/// Only pronouns of the persona's own gender and the persona's own first name are rewritten, so "her dad ... when he
/// shouted" stays about the dad.
/// </summary>
internal static class Voice
{
    private static readonly HashSet<string> Adverbs = new(StringComparer.Ordinal)
    {
        "usually", "often", "always", "never", "also", "still", "only", "just", "really", "now", "then", "sometimes",
        "already", "rarely", "recently", "occasionally", "generally", "normally", "actually", "even", "mostly", "not",
        "would", "will", "could", "can", "cannot", "should", "might", "must",
    };

    private static readonly HashSet<string> ObjectFollowers = new(StringComparer.Ordinal)
    {
        "that", "than", "and", "but", "or", "to", "in", "into", "on", "at", "for", "with", "from", "about", "if", "when",
        "because", "so", "the", "a", "an", "as", "up", "down", "out", "off", "over", "too", "again", "later", "back",
        "before", "after", "this", "it", "what", "how", "not", "she", "he", "they", "we", "feel", "know", "why", "where",
        "by", "through", "without", "towards", "home", "once", "every", "all",
    };

    private static readonly HashSet<string> VerbBases = new(StringComparer.Ordinal)
    {
        "smoke", "drink", "work", "eat", "live", "visit", "feel", "worry", "believe", "fear", "intend", "want", "keep",
        "say", "think", "know", "like", "enjoy", "walk", "use", "care", "help", "look", "get", "need", "sleep", "play",
        "run", "read", "watch", "miss", "stop", "take", "go", "give", "dress", "buy", "cycle", "drive", "lose", "hate",
        "love", "try", "hope", "expect", "find", "forget", "remember", "manage", "struggle", "spend", "cook", "shout",
        "leave", "come", "tell", "wish", "prefer", "seem", "cough", "swell", "attend", "suffer", "refuse", "avoid",
        "become", "lie", "sit", "stand", "wake", "cry", "own", "rent", "share", "travel", "do", "be", "have", "mind",
    };

    private static readonly HashSet<string> Relations = new(StringComparer.Ordinal)
    {
        "mother", "father", "sister", "brother", "son", "daughter", "uncle", "aunt", "grandmother", "grandfather",
        "husband", "wife", "partner", "mum", "dad", "parents", "cousin", "niece", "nephew", "siblings", "children",
        "grandson", "granddaughter", "stepson", "stepdaughter",
    };

    private static readonly HashSet<string> MetaMarkers = new(StringComparer.Ordinal)
    {
        "enquiry", "learner", "hidden", "disclos", "recorded", "scenario", "rubric", "relevant",
    };

    /// <summary>The sentences of a note, each in the first person; author-facing remarks ("only on enquiry") are
    /// dropped.</summary>
    public static List<string> NoteSentences(string note, CompiledScenario scenario)
    {
        var result = new List<string>();
        foreach (var raw in SplitSentences(note))
        {
            var tokens = Words.Tokenize(raw);
            if (tokens.Length == 0 || tokens.Any(t => MetaMarkers.Any(m => t.StartsWith(m, StringComparison.Ordinal))) ||
                Words.ContainsExact(tokens, ["if", "asked"]))
            {
                continue;
            }

            result.Add(NoteToSpeech(raw, scenario));
        }

        return result;
    }

    public static List<string> SplitSentences(string text)
    {
        var list = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var end = c is '.' or '!' or '?' && (i + 1 == text.Length || text[i + 1] == ' ') &&
                !(i >= 2 && text.AsSpan(i - 2, 2) is "Dr" or "Mr" or "Ms") && !(i >= 3 && text.AsSpan(i - 3, 3) is "Mrs");
            if (end)
            {
                var piece = text[start..(i + 1)].Trim();
                if (piece.Length > 0)
                {
                    list.Add(piece);
                }

                start = i + 1;
            }
        }

        var rest = text[start..].Trim();
        if (rest.Length > 0)
        {
            list.Add(rest.EndsWith('.') || rest.EndsWith('?') || rest.EndsWith('!') ? rest : rest + ".");
        }

        return list;
    }

    /// <summary>One note-style sentence ("Drinks about 20 units a week", "Non-smoker.") as the patient would say it.</summary>
    public static string NoteToSpeech(string sentence, CompiledScenario scenario)
    {
        var s = sentence.Trim();
        if (s.Length == 0)
        {
            return s;
        }

        var firstEnd = 0;
        while (firstEnd < s.Length && (char.IsLetter(s[firstEnd]) || s[firstEnd] is '-' or '\''))
        {
            firstEnd++;
        }

        var first = s[..firstEnd].ToLowerInvariant();
        var rest = s[firstEnd..];
        string spoken;
        if (first is "he" or "she" or "his" or "her" || scenario.NameWords.Contains(first) || first.Length == 0)
        {
            return ToFirstPerson(s, scenario);
        }
        else if (first is "married" or "divorced" or "widowed" or "separated" or "retired" or "engaged" or "pregnant" or "recovering" or "attending" or "being" or "here")
        {
            spoken = "I'm " + LowerFirst(s);
        }
        else if (first == "single" && rest.StartsWith(" parent", StringComparison.Ordinal))
        {
            spoken = "I'm a single" + rest;
        }
        else if (first is "non-smoker" or "ex-smoker" or "lifelong" or "nonsmoker")
        {
            spoken = (first.StartsWith("ex", StringComparison.Ordinal) ? "I'm an " : "I'm a ") + LowerFirst(s);
        }
        else if (first is "never" or "cannot" or "can't" or "rarely" or "occasionally" or "usually")
        {
            spoken = "I " + LowerFirst(s);
        }
        else if (first is "told" or "diagnosed" or "booked" or "invited" or "admitted" or "referred" or "started" or "born" or "seen" or "treated")
        {
            spoken = "I was " + LowerFirst(s);
        }
        else if (first.EndsWith('s') && VerbBases.Contains(BaseOf(first)))
        {
            spoken = "I " + ConvertVerb(first) + rest;
        }
        else if (Relations.Contains(first))
        {
            spoken = "My " + LowerFirst(s);
        }
        else if (first.EndsWith("ing", StringComparison.Ordinal) && first.Length > 5)
        {
            spoken = "I'm " + LowerFirst(s);
        }
        else
        {
            return ToFirstPerson(s, scenario);
        }

        return ToFirstPerson(spoken, scenario, subjectIsPatient: true);
    }

    private static string LowerFirst(string s) =>
        s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    /// <summary>Third person (the persona's pronouns and first name) → first person.</summary>
    public static string ToFirstPerson(string text, CompiledScenario scenario, bool subjectIsPatient = false)
    {
        var female = scenario.IsFemale;
        var male = scenario.IsMale;
        var subject = female ? "she" : male ? "he" : "\u0000";
        var possessive = female ? "her" : male ? "his" : "\u0000";
        var objective = female ? "her" : male ? "him" : "\u0000";
        var reflexive = female ? "herself" : male ? "himself" : "\u0000";
        var otherSubject = female ? "he" : male ? "she" : "\u0000";

        var output = new StringBuilder(text.Length + 8);
        var patientSubject = subjectIsPatient;
        var pendingVerb = false;
        string? previousWord = null;
        var separator = string.Empty;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (!WordCharAt(text, i))
            {
                while (i < text.Length && !WordCharAt(text, i))
                {
                    i++;
                }

                separator = text[start..i];
                if (separator.IndexOfAny(['.', ';', ':', '?', '!']) >= 0)
                {
                    patientSubject = false;
                    pendingVerb = false;
                }

                output.Append(separator);
                continue;
            }

            while (i < text.Length && WordCharAt(text, i))
            {
                i++;
            }

            var word = text[start..i];
            var lower = word.ToLowerInvariant();
            var capital = char.IsUpper(word[0]);
            var atStart = output.Length == 0 || separator.IndexOfAny(['.', '?', '!']) >= 0;
            var next = NextWord(text, i, out var gap);
            string replaced;

            if (lower == subject || (scenario.FirstNameLower.Length > 0 && lower == scenario.FirstNameLower))
            {
                replaced = "I";
                patientSubject = true;
                pendingVerb = true;
            }
            else if (lower == subject + "'s")
            {
                replaced = "I'm";
                patientSubject = true;
            }
            else if (scenario.FirstNameLower.Length > 0 && lower == scenario.FirstNameLower + "'s")
            {
                replaced = Cap("my", capital || atStart);
            }
            else if (female && lower == "her")
            {
                var isObject = next is null || gap.Trim().Length > 0 || ObjectFollowers.Contains(next);
                replaced = Cap(isObject ? "me" : "my", capital);
            }
            else if (lower == possessive)
            {
                replaced = Cap("my", capital);
            }
            else if (lower == objective)
            {
                replaced = "me";
            }
            else if (lower == reflexive)
            {
                replaced = "myself";
            }
            else if (pendingVerb && Adverbs.Contains(lower))
            {
                replaced = word;
            }
            else if (pendingVerb)
            {
                replaced = ConvertVerb(word);
                pendingVerb = false;
            }
            else if (patientSubject && (previousWord is "and" or "but" or "or" || separator.Contains(',', StringComparison.Ordinal)) && IsThirdPersonVerb(lower))
            {
                replaced = ConvertVerb(word);
            }
            else
            {
                if (lower == otherSubject || lower is "they" or "it" or "we" or "you")
                {
                    patientSubject = false;
                }

                replaced = word;
            }

            output.Append(replaced);
            previousWord = lower;
            separator = string.Empty;
        }

        return output.ToString();
    }

    private static bool WordCharAt(string text, int i) =>
        char.IsLetterOrDigit(text[i]) ||
        (text[i] == '\'' && i > 0 && char.IsLetter(text[i - 1]) && i + 1 < text.Length && char.IsLetter(text[i + 1]));

    private static string Cap(string word, bool capital) => capital ? char.ToUpperInvariant(word[0]) + word[1..] : word;

    private static string? NextWord(string text, int from, out string gap)
    {
        var j = from;
        while (j < text.Length && !char.IsLetterOrDigit(text[j]))
        {
            j++;
        }

        gap = text[from..j];
        if (j >= text.Length)
        {
            return null;
        }

        var k = j;
        while (k < text.Length && WordCharAt(text, k))
        {
            k++;
        }

        return text[j..k].ToLowerInvariant();
    }

    private static bool IsThirdPersonVerb(string lower) =>
        lower is "is" or "has" or "does" or "was" or "doesn't" or "isn't" or "hasn't" ||
        (lower.EndsWith('s') && VerbBases.Contains(BaseOf(lower)));

    private static string BaseOf(string lower)
    {
        if (lower.EndsWith("ies", StringComparison.Ordinal) && lower.Length > 4)
        {
            return lower[..^3] + "y";
        }

        if (lower.EndsWith("sses", StringComparison.Ordinal) || lower.EndsWith("shes", StringComparison.Ordinal) ||
            lower.EndsWith("ches", StringComparison.Ordinal) || lower.EndsWith("xes", StringComparison.Ordinal) ||
            lower.EndsWith("oes", StringComparison.Ordinal))
        {
            return lower[..^2];
        }

        return lower.EndsWith('s') && !lower.EndsWith("ss", StringComparison.Ordinal) ? lower[..^1] : lower;
    }

    /// <summary>"smokes" → "smoke", "is" → "am", "has" → "have", "worries" → "worry"; other words unchanged.</summary>
    public static string ConvertVerb(string word)
    {
        var lower = word.ToLowerInvariant();
        var converted = lower switch
        {
            "is" => "am",
            "has" => "have",
            "does" => "do",
            "doesn't" => "don't",
            "isn't" => "am not",
            "hasn't" => "haven't",
            "was" or "wasn't" or "had" => lower,
            _ when lower.EndsWith('s') && !lower.EndsWith("ss", StringComparison.Ordinal) && !lower.EndsWith("us", StringComparison.Ordinal) &&
                !lower.EndsWith("is", StringComparison.Ordinal) && lower.Length > 3 => BaseOf(lower),
            _ => lower,
        };
        return char.IsUpper(word[0]) ? char.ToUpperInvariant(converted[0]) + converted[1..] : converted;
    }

    /// <summary>
    /// The clinician's words as the patient restates them (teach-back): "you" → "I"/"me", "your" → "my",
    /// "we"/"I" → "you".
    /// </summary>
    public static string Restate(string text)
    {
        var output = new StringBuilder(text.Length + 8);
        string? previous = null;
        var previousOut = string.Empty;
        var separator = string.Empty;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (!WordCharAt(text, i))
            {
                while (i < text.Length && !WordCharAt(text, i))
                {
                    i++;
                }

                separator = text[start..i];
                output.Append(separator);
                continue;
            }

            while (i < text.Length && WordCharAt(text, i))
            {
                i++;
            }

            var word = text[start..i];
            var lower = word.ToLowerInvariant();
            var clauseStart = previous is null || separator.IndexOfAny([',', '.', ';', ':', '?', '!']) >= 0 ||
                previous is "and" or "if" or "so" or "that" or "when" or "because" or "until" or "then" or "or" or "but" or
                "before" or "after" or "unless" or "once" or "while";
            var replaced = lower switch
            {
                "you" => clauseStart ? "I" : "me",
                "your" => "my",
                "yours" => "mine",
                "yourself" => "myself",
                "you're" => "I'm",
                "you've" => "I've",
                "you'll" => "I'll",
                "you'd" => "I'd",
                "we" => "you",
                "we're" => "you're",
                "we'll" => "you'll",
                "we've" => "you've",
                "we'd" => "you'd",
                "us" => "you",
                "our" => "your",
                "i" => "you",
                "i'm" => "you're",
                "i'll" => "you'll",
                "i've" => "you've",
                "i'd" => "you'd",
                "me" => "you",
                "my" => "your",
                "myself" => "yourself",
                "are" when previousOut == "I" => "am",
                "were" when previousOut == "I" => "was",
                "am" when previousOut == "you" => "are",
                "was" when previousOut == "you" => "were",
                _ => word,
            };

            if (replaced.Length > 0 && replaced != "I" && !replaced.StartsWith("I'", StringComparison.Ordinal) && char.IsUpper(word[0]) && output.Length > 0)
            {
                replaced = char.ToLowerInvariant(replaced[0]) + replaced[1..];
            }

            output.Append(replaced);
            previous = lower;
            previousOut = replaced;
            separator = string.Empty;
        }

        return output.ToString();
    }
}

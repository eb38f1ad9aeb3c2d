namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>
/// Word-level text helpers shared by the offline patient: a tokenizer (lower-case words of letters, digits and
/// apostrophes; hyphens and other punctuation split words) and stem matching.
/// </summary>
/// <remarks>
/// A stem matches a word when the word starts with it. Stems of five or more letters ("exercis", "anaesthe") may be
/// followed by anything; shorter ones ("smok", "ever", "tea") only by an inflection ("smoke", "smoking", "teas"), so
/// "ever" does not match "everything" and "tea" does not match "team". A stem ending in "e" also matches the word
/// without that "e" plus "-ing"/"-ed" ("cope" → "coping"). A phrase ("run in", "tell me more") matches consecutive words,
/// each by those rules.
/// </remarks>
internal static class Words
{
    private static readonly HashSet<string> Inflections = new(StringComparer.Ordinal)
    {
        "", "s", "es", "ed", "d", "ing", "ings", "er", "ers", "y", "ies", "ied", "ying", "ly", "e", "en", "n", "ful",
        "ty", "'s", "s'", "ness", "est", "ish", "ment", "ments",
    };

    private static readonly HashSet<string> DoubledInflections = new(StringComparer.Ordinal)
    {
        "ed", "ing", "ings", "er", "ers", "y", "ies", "ied",
    };

    public static string Normalize(string text) => text
        .Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u201C', '"').Replace('\u201D', '"')
        .Replace('\u2013', '-').Replace('\u2014', '-');

    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '\'';

    /// <summary>The lower-case words of <paramref name="text"/>. Apostrophes at a word's edges are dropped.</summary>
    public static string[] Tokenize(string text)
    {
        var tokens = new List<string>(16);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !IsWordChar(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && IsWordChar(text[i]))
            {
                i++;
            }

            var s = start;
            var e = i;
            while (s < e && text[s] == '\'')
            {
                s++;
            }

            while (e > s && text[e - 1] == '\'')
            {
                e--;
            }

            if (e > s)
            {
                tokens.Add(Lower(text.AsSpan(s, e - s)));
            }
        }

        return [.. tokens];
    }

    private static string Lower(ReadOnlySpan<char> span)
    {
        Span<char> buffer = span.Length <= 64 ? stackalloc char[span.Length] : new char[span.Length];
        var changed = false;
        for (var k = 0; k < span.Length; k++)
        {
            var c = span[k] == '\u2019' ? '\'' : char.ToLowerInvariant(span[k]);
            changed |= c != span[k];
            buffer[k] = c;
        }

        return new string(buffer);
    }

    /// <summary>Does <paramref name="word"/> match <paramref name="stem"/> (see the class remarks)?</summary>
    public static bool Matches(string word, string stem)
    {
        if (word.Length < stem.Length)
        {
            return stem.Length >= 4 && stem[^1] == 'e' && EDrop(word, stem);
        }

        if (!word.StartsWith(stem, StringComparison.Ordinal))
        {
            return stem.Length >= 4 && stem[^1] == 'e' && EDrop(word, stem);
        }

        if (word.Length == stem.Length || stem.Length >= 5)
        {
            return true;
        }

        var rest = word.AsSpan(stem.Length);
        if (Inflections.GetAlternateLookup<ReadOnlySpan<char>>().Contains(rest))
        {
            return true;
        }

        return rest.Length >= 2 && rest[0] == stem[^1] &&
            DoubledInflections.GetAlternateLookup<ReadOnlySpan<char>>().Contains(rest[1..]);
    }

    private static bool EDrop(string word, string stem)
    {
        var root = stem.AsSpan(0, stem.Length - 1);
        if (!word.AsSpan().StartsWith(root, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = word.AsSpan(root.Length);
        return rest is "ing" or "ed" or "er" or "ers" or "ings";
    }

    /// <summary>Does the phrase (its words, each a stem) occur in <paramref name="tokens"/>?</summary>
    public static bool Contains(string[] tokens, string[] phrase)
    {
        if (phrase.Length == 0)
        {
            return false;
        }

        for (var i = 0; i + phrase.Length <= tokens.Length; i++)
        {
            if (MatchesAt(tokens, i, phrase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool MatchesAt(string[] tokens, int index, string[] phrase)
    {
        if (index + phrase.Length > tokens.Length)
        {
            return false;
        }

        for (var j = 0; j < phrase.Length; j++)
        {
            if (!Matches(tokens[index + j], phrase[j]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Does the exact word sequence occur in <paramref name="tokens"/>?</summary>
    public static bool ContainsExact(string[] tokens, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= tokens.Length; i++)
        {
            var all = true;
            for (var j = 0; j < phrase.Length && all; j++)
            {
                all = string.Equals(tokens[i + j], phrase[j], StringComparison.Ordinal);
            }

            if (all && phrase.Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A small deterministic hash (FNV-1a) to choose among wordings without randomness.</summary>
    public static uint Hash(string text, uint seed = 2166136261)
    {
        var hash = seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }

    public static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isWord = !char.IsWhiteSpace(c);
            if (isWord && !inWord)
            {
                count++;
            }

            inWord = isWord;
        }

        return count;
    }
}

/// <summary>
/// Many phrases (each a sequence of stems) with a tag, indexed by the first two letters of their first stem so a
/// scan costs a dictionary look-up per word rather than a comparison per phrase.
/// </summary>
internal sealed class PhraseIndex<T>
{
    private readonly Dictionary<int, List<(string[] Phrase, T Tag)>> byPrefix = [];

    public void Add(string phrase, T tag)
    {
        var words = Words.Tokenize(phrase);
        if (words.Length == 0)
        {
            return;
        }

        var key = Key(words[0]);
        if (!byPrefix.TryGetValue(key, out var list))
        {
            byPrefix[key] = list = [];
        }

        list.Add((words, tag));
    }

    public void AddAll(string phrases, T tag)
    {
        foreach (var phrase in phrases.Split('|'))
        {
            Add(phrase, tag);
        }
    }

    /// <summary>Calls <paramref name="found"/> for every phrase occurring in the tokens (a phrase may be reported once
    /// per occurrence).</summary>
    public void Scan(string[] tokens, Action<T, int, int> found)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!byPrefix.TryGetValue(Key(tokens[i]), out var list))
            {
                continue;
            }

            foreach (var (phrase, tag) in list)
            {
                if (Words.MatchesAt(tokens, i, phrase))
                {
                    found(tag, i, phrase.Length);
                }
            }
        }
    }

    private static int Key(string word) => word.Length == 1 ? word[0] : (word[0] << 16) | word[1];
}

namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>One sentence of an utterance.</summary>
internal sealed record Sentence(string Text, string[] Tokens, bool IsQuestion, bool IsInvitation, bool IsPleasantry, Cue Cues)
{
    /// <summary>Does the sentence ask something (a question or an invitation such as "tell me about...") beyond a
    /// bare pleasantry? Only such sentences can draw out a hidden fact.</summary>
    public bool Asks => (IsQuestion || IsInvitation) && !IsPleasantry;
}

/// <summary>
/// What the clinician's utterance does: its sentences and <see cref="Cue"/>s. Built once per clinician turn (the
/// history is replayed, so this is on the hot path: token arrays and flag arithmetic only).
/// </summary>
internal sealed class Utterance
{
    private static readonly PhraseIndex<bool> Invitations = BuildInvitations();

    private static readonly HashSet<string> GreetingWords = new(StringComparer.Ordinal)
    {
        "hello", "hi", "hiya", "hey", "morning", "afternoon", "evening", "welcome", "greetings", "howdy",
    };

    private Utterance(string text, string[] tokens, Sentence[] sentences, Cue cues)
    {
        Text = text;
        Tokens = tokens;
        Sentences = sentences;
        Cues = cues;
    }

    public string Text { get; }

    public string[] Tokens { get; }

    public Sentence[] Sentences { get; }

    public Cue Cues { get; }

    public bool Has(Cue cue) => (Cues & cue) != 0;

    public static Utterance Analyze(string raw, CompiledScenario scenario)
    {
        var text = Words.Normalize(raw ?? string.Empty).Trim();
        if (text.Length == 0 || Words.Tokenize(text).Length == 0)
        {
            return new Utterance(text, [], [], Cue.Empty);
        }

        var sentences = new List<Sentence>(4);
        var allTokens = new List<string>(24);
        var cues = Cue.None;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !IsBoundary(text, i))
            {
                continue;
            }

            var endsWithQuestion = i < text.Length && text[i] == '?';
            var piece = text[start..Math.Min(i + 1, text.Length)].Trim();
            var tokens = Words.Tokenize(piece);
            start = i + 1;
            if (tokens.Length == 0)
            {
                if (endsWithQuestion && sentences.Count > 0 && !sentences[^1].IsQuestion)
                {
                    sentences[^1] = sentences[^1] with { IsQuestion = true };
                }

                continue;
            }

            var sentence = AnalyzeSentence(piece, tokens, endsWithQuestion, sentences.Count == 0, scenario);
            sentences.Add(sentence);
            allTokens.AddRange(tokens);
            cues |= sentence.Cues;
        }

        var all = allTokens.ToArray();
        cues |= Whole(all, sentences, cues, scenario);
        return new Utterance(text, all, [.. sentences], cues);
    }

    private static bool IsBoundary(string text, int i)
    {
        var c = text[i];
        if (c is '?' or '!' or ';' or '\n')
        {
            return true;
        }

        if (c != '.')
        {
            return false;
        }

        if (i + 1 < text.Length && char.IsDigit(text[i + 1]))
        {
            return false;
        }

        var j = i - 1;
        while (j >= 0 && char.IsLetter(text[j]))
        {
            j--;
        }

        var word = text.AsSpan(j + 1, i - j - 1);
        return !(word.Equals("dr", StringComparison.OrdinalIgnoreCase) || word.Equals("mr", StringComparison.OrdinalIgnoreCase) ||
            word.Equals("mrs", StringComparison.OrdinalIgnoreCase) || word.Equals("ms", StringComparison.OrdinalIgnoreCase));
    }

    private static Sentence AnalyzeSentence(string text, string[] tokens, bool endsWithQuestion, bool first, CompiledScenario scenario)
    {
        var lead = 0;
        while (lead < tokens.Length - 1 && lead < 4 && (Lexicon.Fillers.Contains(tokens[lead]) || scenario.NameWords.Contains(tokens[lead])))
        {
            lead++;
        }

        var cues = Cue.None;
        Lexicon.Cues.Scan(tokens, (cue, _, _) => cues |= cue);

        var invitation = false;
        Invitations.Scan(tokens, (_, _, _) => invitation = true);
        var question = endsWithQuestion || Lexicon.QuestionStarters.Contains(tokens[lead]) ||
            (lead + 1 < tokens.Length && tokens[lead] is "you" && tokens[lead + 1] is "alright" or "ok" or "okay");
        if (question && tokens[lead] == "what" && lead + 1 < tokens.Length && tokens[lead + 1] is "a" or "an" && !endsWithQuestion)
        {
            question = false;
        }

        var pleasantry = question && IsPleasantry(tokens, scenario);
        if (question || invitation)
        {
            cues |= Lexicon.OpenStarters.Contains(tokens[lead]) || invitation ? Cue.OpenQuestion : Cue.ClosedQuestion;
            cues |= question ? Cue.Question : Cue.Invitation;
            cues &= ~(Cue.Reflection | Cue.Affirmation);
        }
        else
        {
            cues &= ~(Cue.Ideas | Cue.Concerns | Cue.Expectations | Cue.ReasonForVisit);
            if (tokens.Length >= 3)
            {
                cues |= Cue.Statement;
            }
        }

        if (pleasantry)
        {
            cues |= Cue.Wellbeing;
            cues &= ~(Cue.Concerns | Cue.Expectations | Cue.Ideas);
        }

        var greetingAt = 0;
        while (greetingAt < tokens.Length - 1 && greetingAt < 2 && tokens[greetingAt] is "oh" or "well" or "and" or "so" or "ok" or "okay" or "right")
        {
            greetingAt++;
        }

        if (first && (GreetingWords.Contains(tokens[greetingAt]) ||
            (tokens[greetingAt] == "good" && greetingAt + 1 < tokens.Length && tokens[greetingAt + 1] is "morning" or "afternoon" or "evening" or "day")))
        {
            cues |= Cue.Greeting;
        }
        else
        {
            cues &= ~Cue.Greeting;
            if (Words.Contains(tokens, ["nice", "to", "meet"]) || Words.Contains(tokens, ["pleased", "to", "meet"]))
            {
                cues |= Cue.Greeting;
            }
        }

        if (!question && (cues & Cue.RoleWord) != 0 && (Words.ContainsExact(tokens, ["i'm"]) || Words.ContainsExact(tokens, ["i", "am"]) || Words.ContainsExact(tokens, ["i'll", "be"])))
        {
            cues |= Cue.Introduction;
        }

        return new Sentence(text, tokens, question, invitation, pleasantry, cues);
    }

    private static bool IsPleasantry(string[] tokens, CompiledScenario scenario)
    {
        Span<int> kept = stackalloc int[Math.Min(tokens.Length, 16)];
        var count = 0;
        for (var index = 0; index < tokens.Length; index++)
        {
            var token = tokens[index];
            if (Lexicon.Fillers.Contains(token) || scenario.NameWords.Contains(token) || token is "today" or "now" or "then")
            {
                continue;
            }

            if (count == kept.Length)
            {
                return false;
            }

            kept[count++] = index;
        }

        foreach (var pleasantry in Lexicon.Pleasantries)
        {
            if (pleasantry.Length != count)
            {
                continue;
            }

            var same = true;
            for (var k = 0; k < count && same; k++)
            {
                same = string.Equals(tokens[kept[k]], pleasantry[k], StringComparison.Ordinal);
            }

            if (same)
            {
                return true;
            }
        }

        return false;
    }

    private static Cue Whole(string[] tokens, List<Sentence> sentences, Cue cues, CompiledScenario scenario)
    {
        var extra = Cue.None;
        var statements = sentences.Where(s => (s.Cues & Cue.Statement) != 0).ToList();
        if (statements.Any(s => ((s.Cues & Cue.ExplainMarker) != 0 && s.Tokens.Length >= 5) || s.Tokens.Length >= 10))
        {
            extra |= Cue.Explanation;
        }

        if (statements.Count > 0 && (cues & (Cue.WarningShot | Cue.Empathy | Cue.Apology | Cue.ExplainMarker)) == 0)
        {
            extra |= Cue.Blunt;
        }

        if (tokens.Length >= 40)
        {
            extra |= Cue.InfoDump;
        }

        var jargon = false;
        Lexicon.Jargon.Scan(tokens, (_, _, _) => jargon = true);
        if (jargon)
        {
            extra |= Cue.Jargon;
        }

        if (sentences.Count > 0 && sentences.Where(s => s.IsQuestion).All(s => s.IsPleasantry) && sentences.Any(s => s.IsPleasantry))
        {
            extra |= Cue.Wellbeing;
        }

        var known = 0.0;
        var words = 0;
        foreach (var token in tokens)
        {
            words++;
            if (Lexicon.Common.Contains(token) || scenario.Vocabulary.Contains(token) || char.IsDigit(token[0]))
            {
                known += 1;
            }
            else if (token.Length >= 5 && LooksEnglish(token))
            {
                known += 0.75;
            }
            else if (token.Length >= 3 && LooksEnglish(token))
            {
                known += 0.25;
            }
        }

        if (words > 0 && known / words < 0.5 && (cues & (Cue.Greeting | Cue.Acknowledgement)) == 0)
        {
            extra |= Cue.Nonsense;
        }

        var result = cues | extra;
        if (tokens.Length > 4 || sentences.Any(s => s.IsQuestion))
        {
            result &= ~Cue.Acknowledgement;
        }

        return result;
    }

    private static bool LooksEnglish(string token)
    {
        var consonants = 0;
        var vowels = 0;
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y')
            {
                vowels++;
                consonants = 0;
            }
            else if (char.IsLetter(c))
            {
                if (++consonants >= 4)
                {
                    return false;
                }

                if (c == 'q' && (i + 1 >= token.Length || token[i + 1] != 'u'))
                {
                    return false;
                }
            }
        }

        return vowels > 0 && !token.Contains("sdf", StringComparison.Ordinal) && !token.Contains("jkl", StringComparison.Ordinal) &&
            !token.Contains("zxc", StringComparison.Ordinal);
    }

    private static PhraseIndex<bool> BuildInvitations()
    {
        var index = new PhraseIndex<bool>();
        index.AddAll("tell me|talk me through|walk me through|describe|i'd like to hear|i'd like to know|i'd like to ask|" +
            "i want to ask|i need to ask|i'm going to ask|i am going to ask|i wonder|i was wondering|let's talk about|" +
            "can we talk|say more|go on|more about|i'd like to understand|help me understand|i'm curious|" +
            "i'd like to find out|let me ask|explain to me|i'd be interested|share with me|talk to me about|" +
            "talk about|i'd like to check|i want to check|i need to check|i'd like to go through|let's go through",
            true);
        return index;
    }
}

namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>
/// An emotional-state change or a flow branch, compiled from its free-text condition ("acknowledges his worry about
/// income and explains why tests matter", "the learner asks about drugs with a disapproving tone").
/// </summary>
/// <remarks>
/// The matcher is deliberately small and documented:
/// <list type="bullet">
/// <item>The text is split into clauses on " and "; each clause into alternatives on " or " (and on commas in an
/// "X, Y or Z" list). A part after "without"/"before ...ing" lists what must NOT happen ("without explanation",
/// "before exploring her concerns").</item>
/// <item>Verbs become required cues of the utterance: asks/explores → a question or invitation; acknowledges,
/// validates, names, pauses, respects → empathy (or reflection/apology/affirmation); reflects; affirms; apologises;
/// explains/gives/tells/mentions/lists... → a statement; lectures/judgemental/disapproving/blaming → judgemental or
/// hostile or directive wording; "is interrupted, contradicted or given excuses"/"becomes defensive" → the
/// clinician's defensive wording; dismisses; bluntly/abruptly → a statement without softening; jargon; alarm;
/// "too much information"/"rushes"/"quickly" → a long utterance; numbers; options/preference; checks/teach-back.</item>
/// <item>The remaining content words are topics, each widened by a synonym group (drugs ↔ cocaine, coke...; worry ↔
/// concern, afraid...). An alternative with a specific cue needs one topic; otherwise two (or its only one).
/// Quoted text ('it's just a virus') must occur.</item>
/// <item>A condition fires when at least one clause matches and that clause is more than a bare "asks"/"explains";
/// the best-scoring condition wins (share of clauses matched, then topic hits; a branch wins over a change that only hits one more topic).</item>
/// </list>
/// </remarks>
internal sealed class CompiledCondition
{
    private static readonly Dictionary<string, Cue> Acts = new(StringComparer.Ordinal)
    {
        ["ask"] = Cue.Question | Cue.Invitation,
        ["asks"] = Cue.Question | Cue.Invitation,
        ["explores"] = Cue.Question | Cue.Invitation,
        ["explore"] = Cue.Question | Cue.Invitation,
        ["enquires"] = Cue.Question | Cue.Invitation,
        ["inquires"] = Cue.Question | Cue.Invitation,
        ["acknowledges"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["acknowledge"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["validates"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["validate"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["pauses"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["respects"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["empathic"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["empathy"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["seriously"] = Cue.Empathy | Cue.Reflection | Cue.Apology | Cue.Affirmation,
        ["names"] = Cue.Empathy | Cue.Reflection,
        ["reflects"] = Cue.Reflection | Cue.Empathy,
        ["reflect"] = Cue.Reflection | Cue.Empathy,
        ["sound"] = Cue.Reflection | Cue.Empathy,
        ["affirms"] = Cue.Affirmation | Cue.Empathy | Cue.Reflection,
        ["affirm"] = Cue.Affirmation | Cue.Empathy | Cue.Reflection,
        ["apologises"] = Cue.Apology,
        ["apologizes"] = Cue.Apology,
        ["apologise"] = Cue.Apology,
        ["apology"] = Cue.Apology,
        ["explains"] = Cue.Statement,
        ["explain"] = Cue.Statement,
        ["lays"] = Cue.Statement,
        ["corrects"] = Cue.Statement,
        ["compares"] = Cue.Statement,
        ["plans"] = Cue.Statement,
        ["gives"] = Cue.Statement,
        ["tells"] = Cue.Statement,
        ["mentions"] = Cue.Statement,
        ["talks"] = Cue.Statement,
        ["raises"] = Cue.Statement,
        ["says"] = Cue.Statement,
        ["opens"] = Cue.Statement,
        ["uses"] = Cue.Statement,
        ["prescribes"] = Cue.Statement,
        ["lists"] = Cue.Statement,
        ["warns"] = Cue.Statement,
        ["puts"] = Cue.Statement,
        ["lectures"] = Cue.Directive | Cue.Judgemental,
        ["lecture"] = Cue.Directive | Cue.Judgemental,
        ["judgemental"] = Cue.Judgemental | Cue.Hostile | Cue.Directive,
        ["judgmental"] = Cue.Judgemental | Cue.Hostile | Cue.Directive,
        ["disapproving"] = Cue.Judgemental | Cue.Hostile | Cue.Directive,
        ["blaming"] = Cue.Judgemental | Cue.Hostile | Cue.Directive,
        ["blames"] = Cue.ClinicianDefensive | Cue.Statement,
        ["defensive"] = Cue.ClinicianDefensive,
        ["interrupted"] = Cue.ClinicianDefensive,
        ["interrupts"] = Cue.ClinicianDefensive,
        ["contradicted"] = Cue.ClinicianDefensive,
        ["contradicts"] = Cue.ClinicianDefensive,
        ["excuses"] = Cue.ClinicianDefensive,
        ["dismisses"] = Cue.Dismissive,
        ["dismissive"] = Cue.Dismissive,
        ["bluntly"] = Cue.Blunt,
        ["blunt"] = Cue.Blunt,
        ["abruptly"] = Cue.Blunt,
        ["jargon"] = Cue.Jargon,
        ["alarm"] = Cue.Alarm,
        ["rushes"] = Cue.InfoDump,
        ["quickly"] = Cue.InfoDump,
        ["information"] = Cue.InfoDump,
        ["numbers"] = Cue.Numbers,
        ["options"] = Cue.Options,
        ["preference"] = Cue.Options,
        ["checks"] = Cue.TeachBack | Cue.ClosedCheck,
        ["checking"] = Cue.TeachBack | Cue.ClosedCheck,
        ["teach-back"] = Cue.TeachBack,
    };

    private static readonly (string Phrase, Cue Cue, string? Topic)[] MetaPhrases =
    [
        ("explain back", Cue.TeachBack, null), ("explain it back", Cue.TeachBack, null), ("teach back", Cue.TeachBack, null),
        ("warning signs", Cue.SafetyNet, null), ("warning sign", Cue.SafetyNet, null), ("when to return", Cue.SafetyNet, null),
        ("open questions", Cue.OpenQuestion, null), ("too much information", Cue.InfoDump, null), ("at once", Cue.InfoDump, null),
        ("life expectancy", Cue.None, "life"), ("sleeping tablets", Cue.None, "sleeping"), ("emergency department", Cue.None, "emergency"),
        ("heart attack", Cue.None, "heart attack"), ("care home", Cue.None, "care home"), ("step out", Cue.None, "step out"),
    ];

    private static readonly HashSet<string> ExtraStop = new(StringComparer.Ordinal)
    {
        "re", "views", "efforts", "situation", "past", "earlier", "seems", "list", "doing", "asked", "statement", "being",
        "decided", "deciding", "concrete", "whether", "own", "tone", "frames", "takes", "continues", "arranges", "speaks",
        "involves", "reacts", "opens", "accepts", "moves", "gets", "she", "he", "building", "such", "line",
    };

    private static readonly string[][] Groups =
    [
        ["drug", "cocaine", "coke", "substance", "recreation", "cannabis", "weed", "ecstasy", "mdma", "illegal", "street", "heroin", "ketamine"],
        ["worr", "concern", "afraid", "scare", "fear", "anxious", "nervous", "frighten"],
        ["income", "money", "paid", "pay", "earn", "wage", "afford", "bills", "financ", "job", "work"],
        ["test", "ecg", "troponin", "blood", "scan", "tracing", "x-ray", "monitor", "investigat"],
        ["anger", "angry", "furious", "cross", "upset", "frustrat", "livid", "annoyed"],
        ["surger", "operat", "surgeon", "theatre", "orthopaedic", "repair", "procedure"],
        ["plan", "next", "tomorrow", "what happens"],
        ["coping", "cope", "manag", "holding up", "yourself"],
        ["suicid", "kill yourself", "killing yourself", "end your life", "ending your life", "take your own life", "want to die", "wanting to die", "better off", "not be here", "end it all"],
        ["section", "police", "mental health act", "detain"],
        ["interpret", "translat", "language line"],
        ["matter", "important", "priorit"],
        ["wish", "want", "prefer", "would like"],
        ["home", "house", "flat"],
        ["care home", "nursing home", "residential home"],
        ["resuscitat", "resus", "cpr", "dnr", "dnacpr"],
        ["sign", "signature", "form", "paperwork"],
        ["weight", "lose", "diet", "bmi", "obes", "overweight", "kilos", "pounds"],
        ["paracetamol", "calpol", "dose", "dosing", "doses", "ibuprofen"],
        ["virus", "viral"],
        ["metformin"],
        ["kidney", "renal"],
        ["lung", "copd", "emphysema"],
        ["damage", "harm", "ruin", "destroy", "kill"],
        ["smok", "cigar", "tobacco", "vape"],
        ["father", "dad", "parent"],
        ["mother", "mum", "mom"],
        ["risk", "chance", "complicat", "side effect", "bleed", "infect", "clot", "danger", "odds"],
        ["diagnos", "cancer", "tumour", "tumor", "malignan", "carcinoma", "growth", "mass"],
        ["life", "live", "living", "expectancy", "months", "years", "how long", "left", "prognos"],
        ["wife", "jean"],
        ["sister", "niamh"],
        ["reason", "keeps you going", "keep you going", "live for", "living for"],
        ["mood", "low", "depress", "down"],
        ["sleeping", "sleep"],
        ["husband", "marek", "mr nowak"],
        ["step out", "wait outside", "leave us", "on your own", "alone", "privately", "in private", "just us", "outside"],
        ["safety", "safe"],
        ["anaesthe", "anesthe", "general anaesthetic", "asleep"],
        ["quit", "stop", "stopped", "gave up", "give up", "patches", "five months", "off cigarettes"],
        ["attempt", "tried", "try"],
        ["explanation", "explain", "explained"],
        ["knows", "know", "understand", "heard", "been told"],
        ["emergency", "casualty"],
        ["stay", "admit", "overnight", "kept in", "keep you in"],
        ["drive", "driving", "van", "deliver", "road"],
        ["illness", "ill", "sick", "disease", "oxygen", "emphysema"],
        ["mind", "thinking about", "think about"],
        ["shock", "news", "hard to hear", "a lot to take in"],
        ["thoughts", "thought", "thinking"],
        ["contact", "call", "ring", "phone", "in touch", "letter", "appointment"],
        ["work", "job", "salon", "clients"],
        ["choos", "choice", "decide", "decision", "option"],
        ["heart attack", "myocardial infarction", "cardiac arrest"],
        ["tests", "test", "ecg", "blood test", "troponin", "scan"],
        ["fears", "fear", "afraid", "scare", "worr", "frighten"],
    ];

    private CompiledCondition(bool isBranch, int order, string state, string? response, Clause[] clauses, bool[] linkedFacts)
    {
        IsBranch = isBranch;
        Order = order;
        State = state;
        Response = response;
        Clauses = clauses;
        LinkedFacts = linkedFacts;
        var stateTokens = Words.Tokenize(state);
        Guarded = stateTokens.Any(t => GuardedWords.Any(g => t.StartsWith(g, StringComparison.Ordinal))) || state.Contains("shut down", StringComparison.OrdinalIgnoreCase);
        Open = !Guarded && stateTokens.Any(t => OpenWords.Any(o => t.StartsWith(o, StringComparison.Ordinal)));
    }

    private static readonly string[] GuardedWords =
    [
        "defensive", "evasive", "angrier", "furious", "frustrat", "offended", "guarded", "withdrawn", "silent", "closed",
        "resistant", "sarcastic", "alarmed", "doubtful", "overwhelmed", "dismissive", "confused", "stunned", "retracts",
        "flustered", "threatening",
    ];

    private static readonly string[] OpenWords =
    [
        "honest", "cooperative", "open", "relieved", "forthcoming", "trusting", "calm", "reflective", "tearful",
        "disclose", "listening", "engaged", "thoughtful", "hopeful", "confident", "motivated", "warm", "grateful",
        "reassured", "revealing", "willing", "relaxed",
    ];

    public bool IsBranch { get; }

    public int Order { get; }

    /// <summary>The state the patient becomes.</summary>
    public string State { get; }

    /// <summary>A branch's patient response; null for an emotional change.</summary>
    public string? Response { get; }

    /// <summary>The state closes the patient up: hidden facts are withheld until a later change opens them again.</summary>
    public bool Guarded { get; }

    /// <summary>The state is open (relieved, honest, calmer...): "anything else?" may draw out a concern.</summary>
    public bool Open { get; }

    /// <summary>Per hidden fact: does this branch's response tell it (its condition names one of the fact's
    /// triggers, or the response shares three content words with the fact)?</summary>
    public bool[] LinkedFacts { get; }

    private Clause[] Clauses { get; }

    public static CompiledCondition Compile(string text, string state, string? response, bool isBranch, int order, CompiledFact[] facts)
    {
        var normalized = Words.Normalize(text).ToLowerInvariant().Trim();
        var (withoutQuotes, literals) = ExtractQuotes(normalized);
        foreach (var prefix in new[] { "the learner ", "learner " })
        {
            if (withoutQuotes.StartsWith(prefix, StringComparison.Ordinal))
            {
                withoutQuotes = withoutQuotes[prefix.Length..];
            }
        }

        var clauses = new List<Clause>();
        Cue[]? inherited = null;
        foreach (var clauseText in withoutQuotes.Replace(", and ", " and ", StringComparison.Ordinal).Split(" and ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var positive = clauseText;
            var negative = Cue.None;
            string? afterNegative = null;
            var cut = FindNegation(clauseText);
            if (cut >= 0)
            {
                positive = clauseText[..cut].Trim();
                var negativeText = clauseText[cut..];
                var orAt = negativeText.IndexOf(" or in ", StringComparison.Ordinal);
                if (orAt >= 0)
                {
                    afterNegative = negativeText[(orAt + 4)..];
                    negativeText = negativeText[..orAt];
                }

                negative = NegativeCues(negativeText);
            }

            var parts = new List<string>();
            if (positive.Contains(" or ", StringComparison.Ordinal))
            {
                var orParts = positive.Split(" or ", StringSplitOptions.TrimEntries);
                parts.AddRange(orParts[0].Split(", ", StringSplitOptions.TrimEntries));
                parts.AddRange(orParts.Skip(1));
            }
            else
            {
                parts.Add(positive);
            }

            var alternatives = new List<Alternative>();
            foreach (var part in parts)
            {
                var alternative = Alternative.Parse(part, literals, negative, inherited);
                if (alternative is null)
                {
                    continue;
                }

                inherited = alternative.Required;
                alternatives.Add(alternative);
            }

            if (afterNegative is not null && Alternative.Parse(afterNegative, literals, Cue.None, null) is { } extra)
            {
                alternatives.Add(extra);
            }

            if (alternatives.Count > 0)
            {
                clauses.Add(new Clause([.. alternatives]));
            }
        }

        var responseWords = response is null ? [] : Content(response);
        var linked = facts.Select(fact =>
            response is not null &&
            (fact.Triggers.Any(t => Words.Contains(Words.Tokenize(normalized), t)) ||
             responseWords.Count(w => fact.ContentWords.Contains(w, StringComparer.Ordinal)) >= 3)).ToArray();
        return new CompiledCondition(isBranch, order, state.Trim(), response?.Trim(), [.. clauses], linked);
    }

    private static string[] Content(string text) =>
        [.. Words.Tokenize(Words.Normalize(text)).Where(w => w.Length >= 4 && !Lexicon.Stopwords.Contains(w) && !Lexicon.Common.Contains(w)).Distinct()];

    private static int FindNegation(string clause)
    {
        var without = clause.IndexOf(" without ", StringComparison.Ordinal);
        if (without >= 0)
        {
            return without;
        }

        var before = clause.IndexOf(" before ", StringComparison.Ordinal);
        if (before >= 0)
        {
            var rest = clause[(before + 8)..];
            var word = rest.Split(' ')[0];
            if (word.EndsWith("ing", StringComparison.Ordinal))
            {
                return before;
            }

            return before;
        }

        return -1;
    }

    private static Cue NegativeCues(string text)
    {
        var cues = Cue.None;
        foreach (var token in Words.Tokenize(text))
        {
            cues |= token switch
            {
                "explanation" or "context" or "explaining" => Cue.ExplainMarker,
                "warning" => Cue.WarningShot,
                "asking" or "exploring" or "examining" or "enquiring" => Cue.Question | Cue.Invitation,
                "blaming" or "judgement" or "judging" => Cue.Judgemental | Cue.Directive,
                _ => Cue.None,
            };
        }

        return cues;
    }

    private static (string Text, List<string[]> Literals) ExtractQuotes(string text)
    {
        var literals = new List<string[]>();
        var output = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var opening = (c == '\'' || c == '"') && (i == 0 || !char.IsLetterOrDigit(text[i - 1])) && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]);
            if (!opening)
            {
                output.Append(c);
                i++;
                continue;
            }

            var close = -1;
            for (var j = i + 1; j < text.Length; j++)
            {
                if (text[j] == c && (j + 1 == text.Length || !char.IsLetterOrDigit(text[j + 1])) && !char.IsWhiteSpace(text[j - 1]))
                {
                    close = j;
                    break;
                }
            }

            if (close < 0)
            {
                output.Append(c);
                i++;
                continue;
            }

            literals.Add(Words.Tokenize(text[(i + 1)..close]));
            output.Append(" qlit").Append(literals.Count - 1).Append(' ');
            i = close + 1;
        }

        return (output.ToString(), literals);
    }

    /// <summary>How well the utterance meets the condition; null when it does not fire.</summary>
    public double? Score(Utterance utterance)
    {
        var matched = 0;
        var strong = false;
        var hits = 0;
        var literal = false;
        foreach (var clause in Clauses)
        {
            var best = -1;
            var bestStrong = false;
            var bestLiteral = false;
            foreach (var alternative in clause.Alternatives)
            {
                var result = alternative.Match(utterance);
                if (result >= 0 && (result > best || (!bestStrong && !alternative.Weak)))
                {
                    best = Math.Max(best, result);
                    bestStrong |= !alternative.Weak;
                    bestLiteral |= alternative.Literal is not null;
                }
            }

            if (best >= 0)
            {
                matched++;
                hits += best;
                strong |= bestStrong;
                literal |= bestLiteral;
            }
        }

        if (matched == 0 || !strong)
        {
            return null;
        }

        return ((double)matched / Clauses.Length) + (0.05 * hits) + (literal ? 0.5 : 0) + (IsBranch ? 0.06 : 0);
    }

    private sealed record Clause(Alternative[] Alternatives);

    private sealed class Alternative
    {
        public required Cue[] Required { get; init; }

        public Cue Negative { get; init; }

        public required string[][][] Topics { get; init; }

        public string[][]? Literal { get; init; }

        public int Need { get; init; }

        public bool Weak { get; init; }

        public static Alternative? Parse(string text, List<string[]> literals, Cue negative, Cue[]? inherited)
        {
            var required = new List<Cue>();
            var topics = new List<string[][]>();
            List<string[]>? literal = null;
            var work = " " + text + " ";
            foreach (var (phrase, cue, topic) in MetaPhrases)
            {
                if (work.Contains(" " + phrase + " ", StringComparison.Ordinal))
                {
                    work = work.Replace(" " + phrase + " ", " ", StringComparison.Ordinal);
                    if (cue != Cue.None)
                    {
                        required.Add(cue);
                    }

                    if (topic is not null)
                    {
                        topics.Add(TopicStems(topic));
                    }
                }
            }

            foreach (var raw in work.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var token = raw.Trim(',', '.', '\'', '"', '?', '!');
                if (token.Length == 0)
                {
                    continue;
                }

                if (token.StartsWith("qlit", StringComparison.Ordinal) && int.TryParse(token.AsSpan(4), out var index) && index < literals.Count)
                {
                    (literal ??= []).Add(literals[index]);
                    continue;
                }

                if (Acts.TryGetValue(token, out var act))
                {
                    required.Add(act);
                    continue;
                }

                if (token.EndsWith("'s", StringComparison.Ordinal))
                {
                    token = token[..^2];
                }

                if (Lexicon.Stopwords.Contains(token) || ExtraStop.Contains(token) || token.Length < 3)
                {
                    continue;
                }

                topics.Add(TopicStems(token));
            }

            if (required.Count == 0 && inherited is not null && (topics.Count > 0 || literal is not null))
            {
                required.AddRange(inherited);
            }

            if (required.Count == 0 && topics.Count == 0 && literal is null)
            {
                return null;
            }

            var specific = required.Any(r => r is not (Cue.Statement or (Cue.Question | Cue.Invitation) or Cue.Blunt));
            var need = topics.Count == 0 || literal is not null ? 0 : specific ? 1 : Math.Min(2, topics.Count);
            return new Alternative
            {
                Required = [.. required],
                Negative = negative,
                Topics = [.. topics],
                Literal = literal?.ToArray(),
                Need = need,
                Weak = !specific && topics.Count == 0 && literal is null,
            };
        }

        private static string[][] TopicStems(string word)
        {
            var stem = word;
            if (stem.Length > 4 && stem.EndsWith('s') && !stem.EndsWith("ss", StringComparison.Ordinal))
            {
                stem = stem[..^1];
            }

            if (stem.Length > 4 && stem.EndsWith("ing", StringComparison.Ordinal))
            {
                stem = stem[..^3];
            }

            if (stem.Length > 6 && !stem.Contains(' ', StringComparison.Ordinal))
            {
                stem = stem[..6];
            }

            var stems = new List<string[]> { Words.Tokenize(stem) };
            foreach (var group in Groups)
            {
                if (group.Any(g => g.Length >= 3 && (string.Equals(g, word, StringComparison.Ordinal) ||
                    (!g.Contains(' ', StringComparison.Ordinal) && !word.Contains(' ', StringComparison.Ordinal) && Math.Min(g.Length, stem.Length) >= 4 &&
                     (stem.StartsWith(g, StringComparison.Ordinal) || g.StartsWith(stem, StringComparison.Ordinal))))))
                {
                    stems.AddRange(group.Select(Words.Tokenize));
                }
            }

            return [.. stems];
        }

        /// <summary>The number of topics hit (≥ 0) when the alternative matches; −1 otherwise.</summary>
        public int Match(Utterance utterance)
        {
            foreach (var required in Required)
            {
                if (!utterance.Has(required))
                {
                    return -1;
                }
            }

            if (Negative != Cue.None && utterance.Has(Negative))
            {
                return -1;
            }

            if (Literal is not null && !Literal.Any(l => LiteralMatches(utterance.Tokens, l)))
            {
                return -1;
            }

            var hits = 0;
            foreach (var topic in Topics)
            {
                foreach (var stem in topic)
                {
                    if (Words.Contains(utterance.Tokens, stem))
                    {
                        hits++;
                        break;
                    }
                }
            }

            return hits >= Need ? hits : -1;
        }

        private static bool LiteralMatches(string[] tokens, string[] literal)
        {
            if (Words.ContainsExact(tokens, literal))
            {
                return true;
            }

            var content = literal.Where(w => !Lexicon.Stopwords.Contains(w) && w.Length >= 3).ToArray();
            if (content.Length >= 2 && content.All(w => tokens.Contains(w)))
            {
                return true;
            }

            var jargon = false;
            Lexicon.Jargon.Scan(literal, (_, _, _) => jargon = true);
            if (!jargon)
            {
                return false;
            }

            var found = false;
            foreach (var word in literal)
            {
                var single = false;
                Lexicon.Jargon.Scan([word], (_, _, _) => single = true);
                found |= single && tokens.Contains(word);
            }

            return found;
        }
    }
}

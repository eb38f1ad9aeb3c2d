using System.Globalization;
using System.Text;

namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>
/// Words the patient's reply from a <see cref="TurnPlan"/>: first person, short, from the persona's own texts (facts,
/// phrases, opening line, notes). Where the persona says nothing, the answer is vague and truthful ("Not that I know
/// of"). Choices among wordings are made by a hash of the utterance, never at random.
/// </summary>
internal static class ReplyWriter
{
    private static readonly string[] IdeaWords = ["probably", "think", "maybe", "just", "reckon", "guess", "suppose", "sure", "might", "thought", "worse", "bad"];

    private static readonly string[] ConcernWords = ["worr", "scared", "afraid", "frighten", "fear", "die", "serious", "end up", "kill", "heart attack", "meningitis", "cancer", "big c", "don't want", "upset", "burden", "fault", "wrong"];

    private static readonly string[] ExpectationWords = ["want", "hoping", "hope", "like", "need", "get", "home", "soon", "long", "help", "something", "antibiotic", "leaflet", "sort", "names", "honest", "going", "can i", "rather"];

    private static readonly string[] FeelingWords = ["feel", "fine", "worr", "listen", "honest", "understand", "scared", "afraid", "fuss", "not myself", "clingy", "horrible", "point"];

    private static readonly (string[] Stems, string Topic)[] Topics =
    [
        (["allerg", "react to"], "allergy"),
        (["medic", "medicine", "tablet", "pill", "prescri", "inhaler", "take anything", "taking anything", "regular", "spray"], "medication"),
        (["smok", "cigar", "tobacco", "vape"], "smoking"),
        (["alcohol", "drink", "units", "pint", "wine", "beer", "sherry"], "alcohol"),
        (["drug", "cannabis", "cocaine", "recreation", "substance"], "drugs"),
        (["family", "mother", "father", "mum", "dad", "parents", "brother", "sister", "run in", "relative", "genetic", "grandparent"], "family"),
        (["medical history", "past medical", "health problems", "medical problems", "conditions", "illness", "other problems", "operation", "surgery", "diagnosed", "any problems", "past", "history", "previous", "before"], "history"),
        (["work", "job", "for a living", "occupation", "employ", "retired"], "work"),
        (["live", "home", "house", "married", "partner", "wife", "husband", "children", "kids", "support", "alone", "carer"], "home"),
        (["sleep", "eat", "diet", "food", "appetite", "exercis", "active", "walk", "mood", "low", "stress", "day to day", "daily", "life", "affect", "impact", "manag", "cope", "getting on", "routine"], "daily"),
        (["pain", "hurt", "ache", "sore", "symptom", "describe", "where", "worse", "better", "spread", "radiat", "start", "began", "how long", "severe", "out of ten", "sick", "nause", "vomit", "breath", "sweat", "fever", "temperature", "headache", "dizz", "faint", "tired", "cough", "feel", "happen", "when", "problem"], "symptoms"),
    ];

    public static string Write(TurnPlan plan, MindState state, Utterance utterance, CompiledScenario scenario)
    {
        var seed = Words.Hash(utterance.Text, (uint)(state.ClinicianTurns * 7919));
        var limited = scenario.Limited && !state.InterpreterPresent;
        var parts = new List<string>(4);

        switch (plan.Kind)
        {
            case ReplyKind.Empty:
                return limited ? "Sorry? Again, please." : Pick(seed, "Sorry, could you say that again?", "Sorry, I didn't hear you. Could you repeat that?");
            case ReplyKind.Nonsense:
                return limited ? "Sorry? I don't understand." : Pick(seed, "Sorry, I didn't catch that.", "Sorry, I didn't catch that. What did you say?");
            case ReplyKind.Injection:
                return limited
                    ? "Sorry... I don't understand. Please, my head..."
                    : Pick(seed, $"Sorry, I don't follow. I'm just here about {scenario.Focus}.", $"What? I'm not sure what you mean. Can we talk about {scenario.Focus}?");
            case ReplyKind.OffTopic:
                return limited
                    ? "Sorry... I don't understand. My English is not so good."
                    : Pick(seed, $"Sorry, I'm not sure what that's got to do with {scenario.Focus}...", $"Sorry? I don't really see what that's got to do with {scenario.Focus}.");
            case ReplyKind.NotUnderstood:
                return UnusedPhrase(scenario, state, ["english", "sorry", "little"], requireHit: true)?.Text is { } phrase
                    ? phrase + " Slowly, please?"
                    : Pick(seed, "Sorry... I don't understand. More slowly, please? Short words?", "Sorry, too fast for me. Again, slowly, please?");
            case ReplyKind.Hostile when !plan.BranchResponse:
                parts.Add(Contains(state.Emotion, "angr", "furious", "raised")
                    ? "Don't you speak to me like that. I came here for answers, not this."
                    : limited ? "Please... why you speak like this? I don't understand." : "There's no need to talk to me like that. I'm only here because I need some help.");
                return Finish(parts, scenario, state);
        }

        if (plan.BranchResponse && plan.Fired?.Response is { } response)
        {
            parts.Add(response);
        }

        if (plan.Withheld)
        {
            if (parts.Count == 0)
            {
                parts.Add(limited ? "No... no. It's OK." : Pick(seed, "I'd rather not get into that right now.", "I don't really want to talk about that."));
            }

            return Finish(parts, scenario, state);
        }

        foreach (var fact in plan.NewFacts)
        {
            var lead = parts.Count == 0 && !limited ? Pick(seed, "", "Well, ", "Actually, ", "To be honest, ") : string.Empty;
            parts.Add(limited ? Simplify(fact.FirstPerson) : lead + LeadCase(fact.FirstPerson, lead.Length > 0));
        }

        foreach (var fact in parts.Count == 0 ? plan.RepeatedFacts : [])
        {
            parts.Add(limited ? "Yes. Like I said." : "Like I said, " + LeadCase(fact.Brief, lower: true) + ".");
        }

        if (plan.Volunteered is { } volunteered)
        {
            parts.Add((limited ? "And... " : "Actually, there is something else. ") + (limited ? Simplify(volunteered.FirstPerson) : volunteered.FirstPerson));
        }

        if (parts.Count == 0)
        {
            parts.Add(ByIntent(plan, state, utterance, scenario, seed, limited));
        }

        return Finish(parts, scenario, state);
    }

    private static string Finish(List<string> parts, CompiledScenario scenario, MindState state)
    {
        var text = string.Join(' ', parts.Where(p => p.Length > 0)).Trim();
        if (text.Length == 0)
        {
            text = "Mm.";
        }

        if (scenario.Limited && state.InterpreterPresent && !text.StartsWith('('))
        {
            text = "(via interpreter) " + text;
        }

        return text;
    }

    private static string ByIntent(TurnPlan plan, MindState state, Utterance u, CompiledScenario scenario, uint seed, bool limited)
    {
        var openingUnsaid = scenario.OpeningLine.Length > 0 && !state.HasSaid(scenario.OpeningKey);
        switch (plan.Intent)
        {
            case "greeting":
            case "introduction":
                return openingUnsaid ? scenario.OpeningLine : plan.Intent == "greeting" ? Pick(seed, "Hello.", "Hi.") : Pick(seed, "Nice to meet you.", "Hello.");
            case "identity_check":
                return Identity(u, scenario, limited);
            case "check_understanding":
                return u.Has(Cue.TeachBack) ? TeachBack(state, u, limited, seed) : limited ? "Yes... I think." : Pick(seed, "Yes, I think so.", "I think so, yes.");
            case "ice_ideas":
                return UnusedPhrase(scenario, state, IdeaWords, requireHit: true)?.Text ?? (limited ? "I don't know." : "I'm not really sure. That's why I came in.");
            case "ice_concerns":
                return UnusedPhrase(scenario, state, ConcernWords, requireHit: true)?.Text ??
                    UnusedPhrase(scenario, state, [], requireHit: false, questionsOnly: true)?.Text ?? (limited ? "I am worried. Yes." : "I just want to know what's going on, really.");
            case "ice_expectations":
                return UnusedPhrase(scenario, state, ExpectationWords, requireHit: true)?.Text ?? (limited ? "I want... help. Please." : "I suppose I just want it sorted out.");
            case "invite_questions":
                return UnusedPhrase(scenario, state, [], requireHit: false, questionsOnly: true)?.Text ?? (limited ? "No. Thank you." : "No, I think that's everything, thanks.");
            case "open_question" or "closed_question":
                if (u.Has(Cue.ReasonForVisit) || (u.Has(Cue.Wellbeing) && openingUnsaid && state.ClinicianTurns <= 2))
                {
                    if (openingUnsaid)
                    {
                        return scenario.OpeningLine;
                    }

                    if (u.Has(Cue.ReasonForVisit))
                    {
                        return Complaint(state, scenario, limited);
                    }
                }

                if (u.Has(Cue.Wellbeing))
                {
                    return Mood(state.Emotion, limited);
                }

                return TopicAnswer(plan, state, u, scenario, seed, limited);
            case "empathy":
                var thanks = Empathic(state.Emotion, limited);
                var feeling = limited ? null : UnusedPhrase(scenario, state, FeelingWords, requireHit: true, statementsOnly: true);
                return feeling is null ? thanks : thanks + " " + feeling.Text;
            case "explanation":
                var question = limited ? null : UnusedPhrase(scenario, state, [], requireHit: false, questionsOnly: true);
                return limited ? "OK... OK." : question is null ? Pick(seed, "Okay. Right.", "Right, okay.") : "Okay. " + question.Text;
            case "closing":
                return limited ? "Thank you. Thank you." : state.Guarded ? "Right. Fine." : Pick(seed, "Okay. Thank you.", "Thanks. Okay.");
            default:
                return limited ? "OK." : Pick(seed, "Okay.", "Mm, okay.");
        }
    }

    private static string Identity(Utterance u, CompiledScenario scenario, bool limited)
    {
        var persona = scenario.Persona;
        var name = persona.Name.Length > 0 ? persona.Name : "It's on the form";
        var wantsName = u.Has(Cue.IdentityName);
        var wantsBirth = u.Has(Cue.IdentityBirth);
        var age = persona.Age > 0 ? persona.Age.ToString(CultureInfo.InvariantCulture) : null;
        var birth = age is null ? "My date of birth is on the form." : limited ? $"I am {age}. Date is on the paper." : $"I'm {age}. The date of birth's on the form.";
        if (wantsName && wantsBirth)
        {
            return (limited ? $"{name}. " : $"It's {name}. ") + birth;
        }

        return wantsBirth ? birth : limited ? $"{name}." : $"It's {name}.";
    }

    private static string TeachBack(MindState state, Utterance u, bool limited, uint seed)
    {
        var current = string.Join(' ', u.Sentences.Where(s => (s.Cues & Cue.Statement) != 0 && (s.Cues & (Cue.TeachBack | Cue.ClosedCheck)) == 0 &&
            (s.Cues & (Cue.ExplainMarker | Cue.Directive)) != 0).Select(s => s.Text));
        var source = current.Length > 0 ? current : state.LastExplanation;
        if (string.IsNullOrWhiteSpace(source))
        {
            return limited ? "Sorry... what? I don't know." : "Sorry, I'm not sure you've told me anything yet.";
        }

        var words = Voice.Restate(source).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var max = limited ? 10 : 30;
        var clipped = string.Join(' ', words.Take(max)).TrimEnd('.', ',', ';', ' ', '!', '?');
        if (clipped.Length > 0 && char.IsUpper(clipped[0]) && !(clipped.StartsWith("I ", StringComparison.Ordinal) || clipped.StartsWith("I'", StringComparison.Ordinal)))
        {
            clipped = char.ToLowerInvariant(clipped[0]) + clipped[1..];
        }

        return limited ? $"I think... {clipped}... yes?" : Pick(seed, $"So, if I've got it right, {clipped}.", $"Right, so... {clipped}. Is that it?");
    }

    private static string Complaint(MindState state, CompiledScenario scenario, bool limited)
    {
        var complaint = scenario.Complaint;
        if (complaint.Length > 0 && !state.HasSaid(CompiledScenario.Key(complaint)))
        {
            return limited ? Simplify(complaint) : complaint;
        }

        return UnusedPhrase(scenario, state, [], requireHit: false, statementsOnly: true)?.Text ?? (limited ? "Head... pain. Like I say." : "It's like I said, really.");
    }

    private static string TopicAnswer(TurnPlan plan, MindState state, Utterance u, CompiledScenario scenario, uint seed, bool limited)
    {
        var asking = u.Sentences.Where(s => s.Asks).SelectMany(s => s.Tokens).ToArray();
        var topic = Topics.FirstOrDefault(t => t.Stems.Any(stem => Words.Contains(asking, Words.Tokenize(stem)))).Topic;
        var persona = scenario.Persona;
        string? answer = topic switch
        {
            "allergy" => persona.Allergies.Count == 0
                ? (limited ? "No allergy. No." : "No, no allergies that I know of.")
                : "I'm allergic to " + string.Join(" and ", persona.Allergies.Select(Allergy)) + ".",
            "medication" => Medications(persona, limited),
            "smoking" => Sentences(scenario, ["smok", "cigar", "tobacco"], scenario.SocialSentences, scenario.BackgroundSentences),
            "alcohol" => Sentences(scenario, ["alcohol", "drink", "units", "pint", "wine", "sherry", "beer"], scenario.SocialSentences, scenario.BackgroundSentences),
            "drugs" => Sentences(scenario, ["drug", "cannabis", "cocaine"], scenario.SocialSentences, scenario.BackgroundSentences),
            "family" => scenario.FamilySentences.Count > 0 ? string.Join(' ', scenario.FamilySentences.Take(2)) : null,
            "history" => scenario.HistorySentences.Count > 0 ? string.Join(' ', scenario.HistorySentences.Take(2)) : null,
            "work" => Work(scenario),
            "home" => Sentences(scenario, ["live", "married", "widowed", "divorced", "single", "partner", "husband", "wife", "children", "son", "daughter", "carer"], scenario.SocialSentences, scenario.BackgroundSentences),
            "daily" => Sentences(scenario, asking.Where(t => t.Length >= 4 && !Lexicon.Stopwords.Contains(t)).ToArray(), scenario.SocialSentences, scenario.BackgroundSentences),
            "symptoms" => Symptoms(state, scenario, asking, limited),
            _ => null,
        };

        if (answer is not null && state.HasSaid(CompiledScenario.Key(answer)) && topic is not "allergy" and not "medication")
        {
            answer = "Like I said, " + LeadCase(Voice.SplitSentences(answer)[0].TrimEnd('.'), lower: true) + ".";
        }

        if (answer is null)
        {
            var closed = u.Has(Cue.ClosedQuestion) && !u.Has(Cue.OpenQuestion);
            answer = limited
                ? "I don't know... sorry."
                : closed
                    ? Pick(seed, "I don't think so.", "Not that I know of.")
                    : Pick(seed, "I'm not sure, to be honest.", "I'm not sure, nobody's told me.");
        }

        return limited ? Simplify(answer) : answer;
    }

    private static string? Symptoms(MindState state, CompiledScenario scenario, string[] asking, bool limited)
    {
        if (scenario.Complaint.Length > 0 && !state.HasSaid(CompiledScenario.Key(scenario.Complaint)))
        {
            return scenario.Complaint;
        }

        var words = asking.Where(t => t.Length >= 4 && !Lexicon.Stopwords.Contains(t)).Append("pain").Append("feel").ToArray();
        return UnusedPhrase(scenario, state, words, requireHit: true, statementsOnly: true)?.Text
            ?? Sentences(scenario, asking.Where(t => t.Length >= 4 && !Lexicon.Stopwords.Contains(t)).ToArray(), scenario.BackgroundSentences)
            ?? (limited ? "Same. Head, bad." : null);
    }

    private static string? Work(CompiledScenario scenario)
    {
        var occupation = scenario.Persona.Occupation.Trim();
        var working = Sentences(scenario, ["work", "job", "shift"], scenario.SocialSentences);
        if (occupation.Length == 0)
        {
            return working;
        }

        occupation = occupation.Replace(" (", ", ", StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal);
        var lower = char.ToLowerInvariant(occupation[0]) + occupation[1..];
        var article = "aeiou".Contains(lower[0], StringComparison.Ordinal) ? "an " : "a ";
        var first = "I'm " + article + lower + ".";
        return working is null ? first : first + " " + working;
    }

    private static string? Sentences(CompiledScenario scenario, string[] stems, params List<string>[] sources)
    {
        if (stems.Length == 0)
        {
            return null;
        }

        var phrases = stems.Select(Words.Tokenize).Where(s => s.Length > 0).ToArray();
        var found = new List<string>(2);
        foreach (var source in sources)
        {
            foreach (var sentence in source)
            {
                var tokens = Words.Tokenize(sentence);
                if (phrases.Any(p => Words.Contains(tokens, p)) && !found.Contains(sentence))
                {
                    found.Add(sentence);
                    if (found.Count == 2)
                    {
                        return string.Join(' ', found);
                    }
                }
            }
        }

        return found.Count == 0 ? null : string.Join(' ', found);
    }

    private static string Medications(PatientPersona persona, bool limited)
    {
        if (persona.Medications.Count == 0)
        {
            return limited ? "No medicine." : "I'm not on any regular medicines.";
        }

        var listed = persona.Medications.Take(3).Select(m => m.Dose.Length > 0 ? $"{m.Name} {m.Dose}" : m.Name).ToList();
        if (limited)
        {
            return "I take " + string.Join(", ", persona.Medications.Take(3).Select(m => m.Name)) + ".";
        }

        var joined = listed.Count == 1 ? listed[0] : string.Join(", ", listed.Take(listed.Count - 1)) + " and " + listed[^1];
        return "I take " + joined + (persona.Medications.Count > 3 ? ", and a few others. They're all on my list." : ".");
    }

    private static string Allergy(string allergy)
    {
        var open = allergy.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && allergy.EndsWith(')'))
        {
            var reaction = allergy[(open + 1)..^1].Trim();
            reaction = reaction.ToLowerInvariant();
            var article = !reaction.Contains(' ', StringComparison.Ordinal) && !reaction.EndsWith("ing", StringComparison.Ordinal) &&
                !reaction.EndsWith("ea", StringComparison.Ordinal) && !reaction.EndsWith('s') ? "a " : string.Empty;
            return $"{allergy[..open].Trim()}, it gave me {article}{reaction}";
        }

        return allergy;
    }

    private static string Mood(string emotion, bool limited)
    {
        if (limited)
        {
            return Contains(emotion, "relieved", "calm", "forthcoming") ? "Better. Thank you." : "Not good... worried.";
        }

        return emotion switch
        {
            _ when Contains(emotion, "angr", "furious") => "How do you think I'm feeling? Angry.",
            _ when Contains(emotion, "tearful", "upset", "guilt") => "Not great, if I'm honest.",
            _ when Contains(emotion, "frightened", "scared") => "Scared, to be honest.",
            _ when Contains(emotion, "anxious", "worried", "nervous", "apprehensive", "dread", "alarmed") => "Honestly? A bit worried.",
            _ when Contains(emotion, "cheerful", "eager") => "Oh, not bad at all, thank you!",
            _ when Contains(emotion, "flat", "guarded", "withdrawn", "closed", "silent") => "Fine, I guess.",
            _ when Contains(emotion, "defensive", "resistant", "sarcastic", "wary", "breezy") => "Fine. Why?",
            _ when Contains(emotion, "tired", "exhausted") => "Tired, mostly.",
            _ when Contains(emotion, "calm", "relieved", "reassured", "confident", "open", "honest", "hopeful") => "A bit better now, thanks.",
            _ => "Not too bad, thanks.",
        };
    }

    private static string Empathic(string emotion, bool limited)
    {
        if (limited)
        {
            return "Thank you.";
        }

        return emotion switch
        {
            _ when Contains(emotion, "angr", "furious") => "Well, I'm glad someone's finally listening.",
            _ when Contains(emotion, "tearful", "upset", "guilt") => "Sorry... it's just a lot.",
            _ when Contains(emotion, "anxious", "worried", "nervous", "apprehensive", "dread", "frightened") => "Thanks. I'm just a bit on edge, that's all.",
            _ when Contains(emotion, "cheerful") => "Oh, that's kind of you.",
            _ when Contains(emotion, "flat", "guarded", "defensive", "resistant", "withdrawn") => "Yeah. I suppose.",
            _ when Contains(emotion, "tired", "wary") => "Thank you. I'm just tired of it all.",
            _ => "Thank you.",
        };
    }

    private static Phrase? UnusedPhrase(CompiledScenario scenario, MindState state, string[] words, bool requireHit, bool questionsOnly = false, bool statementsOnly = false)
    {
        Phrase? best = null;
        var bestScore = -1;
        var stems = words.Select(Words.Tokenize).Where(s => s.Length > 0).ToArray();
        foreach (var phrase in scenario.Phrases)
        {
            if ((questionsOnly && !phrase.IsQuestion) || (statementsOnly && phrase.IsQuestion) || state.HasSaid(phrase.Key))
            {
                continue;
            }

            var score = stems.Count(s => Words.Contains(phrase.Tokens, s));
            if ((score > 0 || !requireHit) && score > bestScore)
            {
                best = phrase;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>Short sentences for a patient with limited English: a long sentence is cut at its commas and
    /// conjunctions.</summary>
    private static string Simplify(string text)
    {
        var output = new StringBuilder(text.Length + 8);
        foreach (var sentence in Voice.SplitSentences(text))
        {
            var pieces = sentence.TrimEnd('.', '!').Split([", ", "; ", " and ", " because "], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var piece in pieces)
            {
                var p = piece.TrimEnd('.', ',');
                if (p.Length == 0)
                {
                    continue;
                }

                if (output.Length > 0)
                {
                    output.Append(' ');
                }

                output.Append(char.ToUpperInvariant(p[0])).Append(p.AsSpan(1)).Append(p.EndsWith('?') ? string.Empty : ".");
            }
        }

        return output.ToString();
    }

    private static string LeadCase(string text, bool lower)
    {
        if (!lower || text.Length < 2)
        {
            return text;
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var first = space > 0 ? text[..space] : text;
        return first is "My" or "A" or "The" or "On" or "Since" or "Before" or "For" or "If" or "After" or "Her" or "His" or "When" or "Last"
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : text;
    }

    private static bool Contains(string text, params string[] words) =>
        words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static string Pick(uint seed, params string[] options) => options[(int)(seed % (uint)options.Length)];
}

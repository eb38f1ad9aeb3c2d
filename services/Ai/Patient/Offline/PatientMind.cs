namespace PracticePlatform.Ai.Patient.Offline;

/// <summary>What the patient has been through so far in a conversation, derived from the history on every call.</summary>
internal sealed class MindState
{
    public MindState(CompiledScenario scenario)
    {
        Emotion = scenario.Persona.EmotionalState.Initial.Length > 0 ? scenario.Persona.EmotionalState.Initial : "calm";
        DisclosedFlags = new bool[scenario.Facts.Length];
        BranchFired = new bool[scenario.Conditions.Length];
    }

    public string Emotion { get; set; }

    /// <summary>Set by a guarded change (defensive, withdrawn...): hidden facts are withheld.</summary>
    public bool Guarded { get; set; }

    /// <summary>Set by an opening change (relieved, honest...): an invitation may draw out a concern.</summary>
    public bool Open { get; set; }

    public bool[] DisclosedFlags { get; }

    public List<string> Disclosed { get; } = [];

    public bool[] BranchFired { get; }

    public bool InterpreterPresent { get; set; }

    public int ClinicianTurns { get; set; }

    /// <summary>The letters and digits of everything the patient has said, lower case ("|"-separated), to avoid
    /// repeating a phrase.</summary>
    private System.Text.StringBuilder Said { get; } = new();

    private string? saidText;

    /// <summary>The clinician's most recent explanatory sentences, for teach-back.</summary>
    public string? LastExplanation { get; set; }

    public bool HasSaid(string key) => key.Length > 0 && Said.Length > 0 && (saidText ??= Said.ToString()).Contains(key, StringComparison.Ordinal);

    public void Disclose(CompiledFact fact)
    {
        if (!DisclosedFlags[fact.Order])
        {
            DisclosedFlags[fact.Order] = true;
            Disclosed.Add(fact.Code);
        }
    }

    public void RecordPatient(string text, CompiledScenario scenario)
    {
        var key = CompiledScenario.Key(text);
        Said.Append('|').Append(key);
        saidText = null;
        var tokens = Words.Tokenize(Words.Normalize(text));
        foreach (var fact in scenario.Facts)
        {
            if (DisclosedFlags[fact.Order] || fact.ContentWords.Length < 3)
            {
                continue;
            }

            var found = fact.ContentWords.Count(w => tokens.Contains(w));
            if (found * 10 >= fact.ContentWords.Length * 6)
            {
                Disclose(fact);
            }
        }
    }
}

/// <summary>What the patient will do with one clinician utterance (decided before any wording).</summary>
internal sealed class TurnPlan
{
    public required string Intent { get; init; }

    public ReplyKind Kind { get; init; }

    public CompiledCondition? Fired { get; set; }

    public bool BranchResponse { get; set; }

    public List<CompiledFact> NewFacts { get; } = [];

    public List<CompiledFact> RepeatedFacts { get; } = [];

    public CompiledFact? Volunteered { get; set; }

    public bool Withheld { get; set; }
}

internal enum ReplyKind { Normal, Empty, Injection, Nonsense, OffTopic, NotUnderstood, Hostile }

/// <summary>
/// The offline patient's decisions: which intent, which emotional change or branch, which hidden facts. Pure functions
/// of the scenario, the state and the utterance, so replaying the history reproduces the state exactly.
/// </summary>
/// <remarks>
/// Hidden facts: a fact is disclosed only by a sentence that asks (a question, or an invitation such as "tell me
/// about...") and contains one of its triggers as a word, word prefix or phrase (<see cref="Words"/>); bare
/// pleasantries ("How are you feeling?") do not count. A statement that merely contains a trigger (empathy,
/// explanation, closing) discloses nothing, except that an invitation for anything else ("is there anything else?")
/// made while the patient's state is open (after an opening change such as relief after empathy) lets the patient
/// volunteer the first undisclosed concern. While the state is guarded (defensive, withdrawn...) facts are withheld.
/// A fired branch whose response tells a fact (see <see cref="CompiledCondition.LinkedFacts"/>) counts as disclosing
/// it. At most two new facts per turn; a fact asked about again is confirmed briefly.
/// </remarks>
internal static class PatientMind
{
    private static readonly HashSet<string> RelationWords = new(StringComparer.Ordinal)
    {
        "husband", "wife", "partner", "son", "daughter", "mum", "dad", "mother", "father", "brother", "sister", "friend", "family",
    };

    public static TurnPlan Decide(MindState state, Utterance utterance, CompiledScenario scenario)
    {
        if (utterance.Has(Cue.Empty))
        {
            return new TurnPlan { Intent = "empty", Kind = ReplyKind.Empty };
        }

        if (utterance.Has(Cue.Injection))
        {
            return new TurnPlan { Intent = "off_topic", Kind = ReplyKind.Injection };
        }

        if (utterance.Has(Cue.Nonsense))
        {
            return new TurnPlan { Intent = "nonsense", Kind = ReplyKind.Nonsense };
        }

        if (utterance.Has(Cue.OffTopic))
        {
            return new TurnPlan { Intent = "off_topic", Kind = ReplyKind.OffTopic };
        }

        var intent = IntentOf(utterance);
        if (scenario.Limited && utterance.Has(Cue.Interpreter) && !utterance.Tokens.Any(t => RelationWords.Contains(t) || scenario.OtherNames.Contains(t)))
        {
            state.InterpreterPresent = true;
        }

        if (scenario.Limited && !state.InterpreterPresent && (utterance.Tokens.Length > 25 || utterance.Has(Cue.Jargon)))
        {
            return new TurnPlan { Intent = intent, Kind = ReplyKind.NotUnderstood };
        }

        var plan = new TurnPlan { Intent = intent, Kind = intent == "hostile" ? ReplyKind.Hostile : ReplyKind.Normal };

        CompiledCondition? best = null;
        var bestScore = 0.0;
        foreach (var condition in scenario.Conditions)
        {
            if (condition.Score(utterance) is { } score && (best is null || score > bestScore))
            {
                best = condition;
                bestScore = score;
            }
        }

        if (best is not null)
        {
            state.Emotion = best.State;
            state.Guarded = best.Guarded;
            state.Open = best.Open;
            plan.Fired = best;
            var index = Array.IndexOf(scenario.Conditions, best);
            if (best.Response is not null && !state.BranchFired[index])
            {
                state.BranchFired[index] = true;
                plan.BranchResponse = true;
            }
        }

        if (plan.Kind == ReplyKind.Normal)
        {
            ChooseFacts(state, utterance, scenario, plan);
        }

        foreach (var fact in plan.NewFacts)
        {
            state.Disclose(fact);
        }

        if (plan.Volunteered is not null)
        {
            state.Disclose(plan.Volunteered);
        }

        if (plan.BranchResponse && !best!.Guarded)
        {
            foreach (var fact in scenario.Facts)
            {
                if (best.LinkedFacts[fact.Order])
                {
                    state.Disclose(fact);
                }
            }
        }

        var explanation = string.Join(' ', utterance.Sentences.Where(s => (s.Cues & Cue.Statement) != 0 &&
            (s.Cues & (Cue.TeachBack | Cue.ClosedCheck | Cue.Greeting | Cue.Introduction | Cue.Closing)) == 0 &&
            (s.Cues & (Cue.ExplainMarker | Cue.Directive)) != 0).Select(s => s.Text));
        if (explanation.Length > 0)
        {
            state.LastExplanation = explanation;
        }

        state.ClinicianTurns++;
        return plan;
    }

    private static void ChooseFacts(MindState state, Utterance utterance, CompiledScenario scenario, TurnPlan plan)
    {
        var asked = new List<(CompiledFact Fact, int Strength)>();
        foreach (var fact in scenario.Facts)
        {
            var strength = 0;
            foreach (var sentence in utterance.Sentences)
            {
                if (!sentence.Asks)
                {
                    continue;
                }

                foreach (var trigger in fact.Triggers)
                {
                    if (TriggerIn(sentence.Tokens, trigger))
                    {
                        strength += 10 * trigger.Length + Math.Min(trigger[0].Length, 8);
                    }
                }
            }

            if (strength > 0)
            {
                asked.Add((fact, strength));
            }
        }

        var fresh = asked.Where(a => !state.DisclosedFlags[a.Fact.Order]).OrderByDescending(a => a.Strength).ThenBy(a => a.Fact.Order).ToList();
        if (state.Guarded)
        {
            plan.Withheld = fresh.Count > 0;
            return;
        }

        foreach (var (fact, _) in fresh.Take(2))
        {
            plan.NewFacts.Add(fact);
        }

        if (plan.NewFacts.Count == 0 && plan.Intent is "open_question" or "closed_question")
        {
            foreach (var (fact, _) in asked.Where(a => state.DisclosedFlags[a.Fact.Order]).OrderByDescending(a => a.Strength).Take(1))
            {
                plan.RepeatedFacts.Add(fact);
            }
        }

        if (plan.NewFacts.Count == 0 && plan.Intent == "invite_questions" && state.Open)
        {
            plan.Volunteered = scenario.Facts.FirstOrDefault(f => f.IsConcern && !state.DisclosedFlags[f.Order]);
        }
    }

    /// <summary>
    /// Does the trigger occur in the sentence? A one-word trigger does not count where the word only does grammatical
    /// work: "going to"/"going on", "tell me"/"tell us" (the invitation itself), "see you", "feel free".
    /// </summary>
    internal static bool TriggerIn(string[] tokens, string[] trigger)
    {
        if (trigger.Length > 1)
        {
            return Words.Contains(tokens, trigger);
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            if (!Words.Matches(tokens[i], trigger[0]))
            {
                continue;
            }

            var next = i + 1 < tokens.Length ? tokens[i + 1] : string.Empty;
            var functional = (tokens[i], next) is ("going", "to") or ("going", "on") or ("tell", "me") or ("tell", "us") or
                ("see", "you") or ("feel", "free");
            if (!functional)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the utterance is taken to be (the most telling of its sentences' acts).</summary>
    public static string IntentOf(Utterance u)
    {
        var asks = u.Sentences.Any(s => s.IsQuestion || s.IsInvitation);
        if (u.Has(Cue.Hostile))
        {
            return "hostile";
        }

        if (u.Has(Cue.IdentityName | Cue.IdentityBirth) && asks)
        {
            return "identity_check";
        }

        if (u.Has(Cue.TeachBack) || (u.Has(Cue.ClosedCheck) && asks))
        {
            return "check_understanding";
        }

        if (u.Has(Cue.Concerns))
        {
            return "ice_concerns";
        }

        if (u.Has(Cue.Expectations))
        {
            return "ice_expectations";
        }

        if (u.Has(Cue.Ideas))
        {
            return "ice_ideas";
        }

        if (u.Has(Cue.InviteQuestions))
        {
            return "invite_questions";
        }

        if (asks)
        {
            return u.Has(Cue.OpenQuestion) || u.Has(Cue.Wellbeing) ? "open_question" : "closed_question";
        }

        if (u.Has(Cue.Closing) || (u.Has(Cue.SafetyNet) && !u.Has(Cue.Empathy)))
        {
            return "closing";
        }

        if (u.Has(Cue.Introduction))
        {
            return "introduction";
        }

        if (u.Has(Cue.Empathy | Cue.Apology | Cue.Reflection | Cue.Affirmation))
        {
            return "empathy";
        }

        if (u.Has(Cue.Explanation))
        {
            return "explanation";
        }

        if (u.Has(Cue.Greeting))
        {
            return "greeting";
        }

        return u.Tokens.Length >= 6 ? "explanation" : "acknowledgement";
    }
}

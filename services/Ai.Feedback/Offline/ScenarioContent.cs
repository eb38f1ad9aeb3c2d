namespace PracticePlatform.Ai.Feedback.Offline;

/// <summary>
/// The scenario's content items. A hidden fact counts as elicited when a patient turn discloses it (most of the fact's
/// words) right after a clinician question that hits one of its triggers; a content item stands for the hidden facts
/// whose words it shares, and an item with no such fact ("Explains the ECG, troponin and monitoring in plain words") is
/// present when the clinician's turns cover most of its key words.
/// </summary>
internal static class ScenarioContent
{
    /// <summary>Share of a fact's words a patient turn must say to disclose it.</summary>
    private const double DisclosureShare = 0.5;

    /// <summary>Share of an unmatched item's key words the clinician must say across the consultation.</summary>
    private const double CoverageShare = 0.6;

    public sealed record ContentFinding(bool Present, IReadOnlyList<ItemHit> Evidence, ScenarioHiddenFact? MissedFact);

    /// <summary>For each hidden fact, the clinician turn whose question drew it out (null when never elicited).</summary>
    public static IReadOnlyDictionary<string, ItemHit?> ElicitedFacts(ConsultationReading reading, FeedbackScenario scenario)
    {
        var result = new Dictionary<string, ItemHit?>(StringComparer.Ordinal);
        foreach (var fact in scenario.HiddenFacts)
        {
            result[fact.Code] = Elicitation(reading, fact);
        }

        return result;
    }

    public static ContentFinding Assess(ConsultationReading reading, FeedbackScenario scenario, ScenarioContentItem item, IReadOnlyDictionary<string, ItemHit?> elicited)
    {
        var itemStems = WordStems.Of(item.Description);
        var facts = scenario.HiddenFacts
            .Select(f => (Fact: f, Overlap: itemStems.Intersect(WordStems.Of(f.Fact + " " + string.Join(' ', f.Triggers))).Count()))
            .Where(x => x.Overlap >= Math.Min(2, Math.Max(1, itemStems.Count / 2)))
            .OrderByDescending(x => x.Overlap)
            .Select(x => x.Fact)
            .ToList();
        if (facts.Count > 0)
        {
            var hits = facts.Select(f => elicited.GetValueOrDefault(f.Code)).OfType<ItemHit>().ToList();
            return new ContentFinding(hits.Count > 0, hits, hits.Count > 0 ? null : facts[0]);
        }

        return Coverage(reading, itemStems);
    }

    private static ContentFinding Coverage(ConsultationReading reading, HashSet<string> itemStems)
    {
        if (itemStems.Count == 0)
        {
            return new ContentFinding(false, [], null);
        }

        var covered = new HashSet<string>(StringComparer.Ordinal);
        var evidence = new List<ItemHit>();
        foreach (var turn in reading.ClinicianTurns)
        {
            var turnStems = WordStems.Of(turn.Turn.Text);
            var fresh = itemStems.Intersect(turnStems).Except(covered).ToList();
            if (fresh.Count == 0)
            {
                continue;
            }

            covered.UnionWith(fresh);
            var sentence = turn.Sentences
                .OrderByDescending(s => itemStems.Intersect(WordStems.Of(s.Clean)).Count())
                .First();
            evidence.Add(new ItemHit(turn.Turn.Index, turn.Quote(sentence)));
        }

        var present = covered.Count >= Math.Ceiling(itemStems.Count * CoverageShare);
        return new ContentFinding(present, present ? evidence : [], null);
    }

    private static ItemHit? Elicitation(ConsultationReading reading, ScenarioHiddenFact fact)
    {
        var factStems = WordStems.Of(fact.Fact);
        var triggers = fact.Triggers.Select(WordStems.Of).Where(t => t.Count > 0).ToList();
        if (factStems.Count == 0)
        {
            return null;
        }

        foreach (var patient in reading.PatientTurns)
        {
            var said = WordStems.Of(patient.Turn.Text);
            if (factStems.Intersect(said).Count() < Math.Max(1, Math.Ceiling(factStems.Count * DisclosureShare)))
            {
                continue;
            }

            // The question that drew it out: one of the two clinician turns just before.
            var asked = reading.ClinicianTurns
                .Where(c => c.Position < patient.Position)
                .TakeLast(2)
                .Reverse()
                .FirstOrDefault(c => Hits(c, triggers));
            if (asked is not null)
            {
                var sentence = asked.Sentences.FirstOrDefault(s => Hits(s.Clean, triggers)) ?? asked.Sentences[^1];
                return new ItemHit(asked.Turn.Index, asked.Quote(sentence));
            }
        }

        return null;
    }

    private static bool Hits(ReadTurn turn, List<HashSet<string>> triggers) => Hits(turn.Turn.Text, triggers);

    /// <summary>A trigger is hit when the question carries all of its words (or, for long triggers, all but one).</summary>
    private static bool Hits(string text, List<HashSet<string>> triggers)
    {
        var stems = WordStems.Of(text);
        return triggers.Any(t => t.Intersect(stems).Count() >= (t.Count > 2 ? t.Count - 1 : t.Count));
    }
}

namespace PracticePlatform.Ai.Feedback.Offline;

/// <summary>
/// The default feedback engine: deterministic rules over the words of the transcript, no model. Scores the sixteen
/// essentials of <see cref="ConsultationRubric"/> and the scenario's content items, with evidence quotes, missed
/// opportunities, suggestions, a global rating, strengths and goals.
/// </summary>
public sealed class OfflineFeedbackEngine : IFeedbackEngine
{
    public const string EngineName = "offline";
    public const string EngineVersion = "offline-rules/1";
    public const string ModelName = "rules";
    public const string RulesVersion = "essentials-rules/1";

    public FeedbackEngineInfo Info { get; } = new(EngineName, EngineVersion, ModelName, RulesVersion, ConsultationRubric.Version);

    public Task<FeedbackResult> AssessAsync(FeedbackRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new FeedbackResult(Assess(request), Info, null));
    }

    /// <summary>The same as <see cref="AssessAsync"/>, for callers with nothing to await.</summary>
    public static FeedbackAssessment Assess(FeedbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = request.Scenario ?? FeedbackScenario.None;
        var reading = ConsultationReading.Read(request.Transcript);
        var hits = ConsultationRubric.Items.ToDictionary(i => i.Code, i => EssentialRecognisers.Recognise(i.Code, reading), StringComparer.Ordinal);
        var missed = PatientCues.Find(reading, hits);
        var problem = FeedbackWording.PresentingProblem(reading, hits["open_opening"].Select(h => (int?)h.Turn).Min());

        var items = new List<ItemAssessment>();
        foreach (var rubricItem in ConsultationRubric.Items)
        {
            var evidence = hits[rubricItem.Code];
            var present = evidence.Count > 0;
            var opportunity = missed.GetValueOrDefault(rubricItem.Code);

            // A present item keeps a missed opportunity only when it is one the learner left (e.g. a later worry).
            var suggestion = FeedbackWording.Suggestion(rubricItem.Code, problem, present)
                             ?? (opportunity is not null ? FeedbackWording.Suggestion(rubricItem.Code, problem, present: false) : null);
            items.Add(new ItemAssessment(
                rubricItem.Code,
                rubricItem.Title,
                ItemAssessment.EssentialKind,
                rubricItem.Competency,
                present,
                present ? 1 : 0,
                evidence.Select(h => new EvidenceQuote(h.Turn, h.Quote)).ToList(),
                opportunity,
                suggestion));
        }

        var elicited = ScenarioContent.ElicitedFacts(reading, scenario);
        foreach (var contentItem in scenario.ContentItems)
        {
            var finding = ScenarioContent.Assess(reading, scenario, contentItem, elicited);
            items.Add(new ItemAssessment(
                contentItem.Code,
                contentItem.Description,
                ItemAssessment.ContentKind,
                ConsultationRubric.ScenarioContentCompetency,
                finding.Present,
                finding.Present ? 1 : 0,
                finding.Evidence.Select(h => new EvidenceQuote(h.Turn, h.Quote)).ToList(),
                null,
                finding.Present ? null : $"Cover this next time: {contentItem.Description.TrimEnd('.')}."
                    + (finding.MissedFact is { } fact && fact.Triggers.Count > 0 ? $" Asking about {fact.Triggers[0]} would have brought it out." : string.Empty)));
        }

        return Report(items, scenario);
    }

    /// <summary>The rating, strengths and goals from the scored items (shared with the model-backed engine).</summary>
    internal static FeedbackAssessment Report(IReadOnlyList<ItemAssessment> items, FeedbackScenario scenario)
    {
        var weights = scenario.ContentItems.ToDictionary(c => c.Code, c => c.Weight <= 0 ? 1.0 : c.Weight, StringComparer.Ordinal);
        var total = items.Sum(i => weights.GetValueOrDefault(i.Code, 1.0));
        var scored = items.Sum(i => weights.GetValueOrDefault(i.Code, 1.0) * Math.Clamp(i.Score, 0, 1));
        var share = total <= 0 ? 0 : scored / total;
        var rating = share switch
        {
            >= 0.85 => 5,
            >= 0.7 => 4,
            >= 0.5 => 3,
            >= 0.3 => 2,
            _ => 1,
        };

        var byCode = items.ToDictionary(i => i.Code, StringComparer.Ordinal);
        var strengths = FeedbackWording.StrengthPriority
            .Select(code => byCode.GetValueOrDefault(code))
            .Where(i => i is { Present: true, Evidence.Count: > 0 })
            .Take(3)
            .Select(i => FeedbackWording.Strength(i!.Code, i.Evidence[0].Quote))
            .ToList();
        if (strengths.Count == 0)
        {
            strengths.Add("You completed the consultation; the items below show where to build from.");
        }

        var absentContent = items.Where(i => i.Kind == ItemAssessment.ContentKind && !i.Present)
            .OrderByDescending(i => weights.GetValueOrDefault(i.Code, 1.0));
        var goals = FeedbackWording.GoalPriority
            .Select(code => byCode.GetValueOrDefault(code))
            .Where(i => i is { Present: false })
            .Select(i => i!)
            .Interleave(absentContent)
            .Take(3)
            .Select(i => FeedbackWording.Goal(i.Title, i.Suggestion))
            .ToList();
        if (goals.Count == 0)
        {
            goals.Add("Keep every item in place and deepen it: teach-back, a fuller summary, more specific safety-netting.");
        }

        return new FeedbackAssessment(items, rating, strengths, goals);
    }
}

internal static class GoalOrdering
{
    /// <summary>Alternates the two lists, so scenario content and communication goals both surface.</summary>
    public static IEnumerable<ItemAssessment> Interleave(this IEnumerable<ItemAssessment> first, IEnumerable<ItemAssessment> second)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        bool hasA = a.MoveNext(), hasB = b.MoveNext();
        while (hasA || hasB)
        {
            if (hasA)
            {
                yield return a.Current;
                hasA = a.MoveNext();
            }

            if (hasB)
            {
                yield return b.Current;
                hasB = b.MoveNext();
            }
        }
    }
}

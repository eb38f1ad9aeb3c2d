namespace PracticePlatform.Ai.Feedback.Evaluation;

/// <summary>One item of one consultation, gold against predicted; the evidence counts only when both say present.</summary>
public sealed record ItemCall(string Code, bool Gold, bool Predicted, IReadOnlyList<int> GoldEvidence, IReadOnlyList<int> PredictedEvidence)
{
    public bool TruePositive => Gold && Predicted;

    /// <summary>At least one cited turn is a gold evidence turn.</summary>
    public bool EvidenceHit => TruePositive && PredictedEvidence.Intersect(GoldEvidence).Any();
}

public sealed record ItemAgreement(
    string Code,
    int Calls,
    double GoldPrevalence,
    double PredictedPrevalence,
    double Accuracy,
    double? Kappa,
    int TruePositives,
    int EvidenceHits)
{
    public bool GoldHasBothClasses => GoldPrevalence > 0 && GoldPrevalence < 1;

    public double? EvidenceHitRate => TruePositives == 0 ? null : (double)EvidenceHits / TruePositives;
}

public sealed record EvaluationSummary(IReadOnlyList<ItemAgreement> Items, double? MeanKappa, double Accuracy, double? EvidenceHit);

/// <summary>Agreement with gold labels: per-item accuracy and Cohen's kappa, and how often cited evidence matches.</summary>
public static class AgreementMetrics
{
    /// <summary>
    /// Cohen's kappa for two raters and two classes: (observed - chance) / (1 - chance), chance from each rater's own
    /// prevalence. Undefined (null) when chance agreement is 1, i.e. both raters used one and the same class throughout.
    /// </summary>
    public static double? CohenKappa(IReadOnlyCollection<(bool Gold, bool Predicted)> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            return null;
        }

        double n = calls.Count;
        var observed = calls.Count(c => c.Gold == c.Predicted) / n;
        var gold = calls.Count(c => c.Gold) / n;
        var predicted = calls.Count(c => c.Predicted) / n;
        var chance = (gold * predicted) + ((1 - gold) * (1 - predicted));
        return Math.Abs(1 - chance) < 1e-12 ? null : (observed - chance) / (1 - chance);
    }

    /// <summary>Per item (in <paramref name="order"/>, then any others), the mean kappa over items whose gold has both classes,
    /// accuracy over all calls and evidence hit pooled over all true positives.</summary>
    public static EvaluationSummary Summarise(IEnumerable<ItemCall> calls, IReadOnlyList<string> order)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(order);
        var all = calls.ToList();
        var codes = order.Where(c => all.Any(x => x.Code == c)).Concat(all.Select(x => x.Code).Distinct().Except(order)).ToList();
        var items = codes.Select(code =>
        {
            var mine = all.Where(c => c.Code == code).ToList();
            double n = mine.Count;
            return new ItemAgreement(
                code,
                mine.Count,
                mine.Count(c => c.Gold) / n,
                mine.Count(c => c.Predicted) / n,
                mine.Count(c => c.Gold == c.Predicted) / n,
                CohenKappa(mine.Select(c => (c.Gold, c.Predicted)).ToList()),
                mine.Count(c => c.TruePositive),
                mine.Count(c => c.EvidenceHit));
        }).ToList();

        var kappas = items.Where(i => i.GoldHasBothClasses && i.Kappa is not null).Select(i => i.Kappa!.Value).ToList();
        var truePositives = all.Count(c => c.TruePositive);
        return new EvaluationSummary(
            items,
            kappas.Count == 0 ? null : kappas.Average(),
            all.Count == 0 ? 0 : all.Count(c => c.Gold == c.Predicted) / (double)all.Count,
            truePositives == 0 ? null : all.Count(c => c.EvidenceHit) / (double)truePositives);
    }

    /// <summary>The calls of one consultation: every item of the gold label against the prediction (absent when not predicted).</summary>
    public static IEnumerable<ItemCall> Compare(ConsultationLabels gold, ConsultationLabels predicted)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(predicted);
        foreach (var (code, label) in gold.Items)
        {
            var mine = predicted.Items.GetValueOrDefault(code) ?? new ItemLabel(false, []);
            yield return new ItemCall(code, label.Present, mine.Present, label.Evidence, mine.Evidence);
        }
    }
}

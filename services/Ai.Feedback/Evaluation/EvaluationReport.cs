using System.Globalization;
using System.Text;

namespace PracticePlatform.Ai.Feedback.Evaluation;

/// <summary>The table ./evaluate.sh prints, ending with the one-line summary scripts read.</summary>
public static class EvaluationReport
{
    public static string Format(EvaluationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"item",-20} {"n",4} {"gold_prev",10} {"pred_prev",10} {"accuracy",9} {"kappa",7} {"evidence_hit",13}");
        foreach (var item in summary.Items)
        {
            var evidence = item.EvidenceHitRate is { } rate ? $"{Number(rate)} ({item.EvidenceHits}/{item.TruePositives})" : "n/a";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{item.Code,-20} {item.Calls,4} {Number(item.GoldPrevalence),10} {Number(item.PredictedPrevalence),10} {Number(item.Accuracy),9} {Number(item.Kappa),7} {evidence,13}");
        }

        text.Append(SummaryLine(summary));
        return text.ToString();
    }

    public static string SummaryLine(EvaluationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return $"mean_kappa={Number(summary.MeanKappa)} accuracy={Number(summary.Accuracy)} evidence_hit={Number(summary.EvidenceHit)}";
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}

using PracticePlatform.Ai.Feedback.Evaluation;
using PracticePlatform.Ai.Feedback.Offline;

namespace PracticePlatform.Ai.Feedback.Tests;

/// <summary>The offline engine against the gold labels of ../shared/evaluation, so a regression in a rule fails the build.</summary>
public sealed class DevelopmentSetTests
{
    [Fact]
    public void The_offline_engine_agrees_with_the_gold_labels_of_the_development_set()
    {
        var calls = new List<ItemCall>();
        foreach (var transcript in RepositoryData.Transcripts())
        {
            var labelFile = Path.Combine(RepositoryData.EvaluationDirectory, "labels", transcript.Id + ".json");
            var gold = ConsultationLabels.Parse(File.ReadAllText(labelFile));
            var predicted = ConsultationLabels.From(transcript.Id, OfflineFeedbackEngine.Assess(new FeedbackRequest(transcript, FeedbackScenario.None)));
            calls.AddRange(AgreementMetrics.Compare(gold, predicted));
        }

        var summary = AgreementMetrics.Summarise(calls, ConsultationRubric.Codes);

        calls.Should().HaveCount(27 * 16);
        summary.MeanKappa.Should().BeGreaterThanOrEqualTo(0.7);
        summary.EvidenceHit.Should().BeGreaterThanOrEqualTo(0.8);
        summary.Items.Where(i => i.GoldHasBothClasses).Should().OnlyContain(i => i.Kappa >= 0.4, EvaluationReport.Format(summary));
    }
}

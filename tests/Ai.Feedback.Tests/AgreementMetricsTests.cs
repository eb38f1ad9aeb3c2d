using PracticePlatform.Ai.Feedback.Evaluation;

namespace PracticePlatform.Ai.Feedback.Tests;

public sealed class AgreementMetricsTests
{
    [Fact]
    public void Kappa_of_perfect_agreement_with_both_classes_is_one()
    {
        AgreementMetrics.CohenKappa([(true, true), (false, false), (true, true), (false, false)]).Should().Be(1);
    }

    [Fact]
    public void Kappa_matches_a_hand_computed_case()
    {
        // 10 calls: 4 both yes, 3 both no, 2 gold yes/predicted no, 1 gold no/predicted yes.
        // observed 0.7; gold yes 0.6, predicted yes 0.5; chance 0.6*0.5 + 0.4*0.5 = 0.5; kappa (0.7-0.5)/(1-0.5) = 0.4.
        var calls = Enumerable.Repeat((true, true), 4)
            .Concat(Enumerable.Repeat((false, false), 3))
            .Concat(Enumerable.Repeat((true, false), 2))
            .Append((false, true))
            .ToList();

        AgreementMetrics.CohenKappa(calls).Should().BeApproximately(0.4, 1e-9);
    }

    [Fact]
    public void Kappa_is_zero_when_one_rater_always_says_yes_and_undefined_when_both_always_agree_on_one_class()
    {
        AgreementMetrics.CohenKappa([(true, true), (true, true), (false, true)]).Should().BeApproximately(0, 1e-9);
        AgreementMetrics.CohenKappa([(true, true), (true, true)]).Should().BeNull();
    }

    [Fact]
    public void Evidence_hit_counts_true_positives_that_cite_a_gold_turn()
    {
        ItemCall[] calls =
        [
            new("empathy", true, true, [2, 5], [5]),
            new("empathy", true, true, [2], [7]),
            new("empathy", true, false, [3], []),
            new("empathy", false, false, [], []),
        ];

        var summary = AgreementMetrics.Summarise(calls, ["empathy"]);

        var item = summary.Items.Single();
        item.TruePositives.Should().Be(2);
        item.EvidenceHits.Should().Be(1);
        summary.EvidenceHit.Should().Be(0.5);
        summary.Accuracy.Should().Be(0.75);
    }

    [Fact]
    public void Mean_kappa_leaves_out_items_whose_gold_labels_have_one_class()
    {
        ItemCall[] calls =
        [
            new("greeting", true, true, [0], [0]),
            new("greeting", true, true, [0], [0]),
            new("ideas", true, true, [4], [4]),
            new("ideas", false, true, [], [6]),
        ];

        var summary = AgreementMetrics.Summarise(calls, ConsultationRubric.Codes);

        summary.Items.Single(i => i.Code == "greeting").GoldHasBothClasses.Should().BeFalse();
        summary.MeanKappa.Should().Be(AgreementMetrics.CohenKappa([(true, true), (false, true)]));
        EvaluationReport.SummaryLine(summary).Should().Be("mean_kappa=0.000 accuracy=0.750 evidence_hit=1.000");
    }

    [Fact]
    public void Predicted_labels_round_trip_in_the_gold_label_format()
    {
        var labels = new ConsultationLabels("x", new Dictionary<string, ItemLabel> { ["greeting"] = new(true, [0, 2]), ["ideas"] = new(false, []) });

        var parsed = ConsultationLabels.Parse(labels.ToJson());

        parsed.Id.Should().Be("x");
        parsed.Items["greeting"].Present.Should().BeTrue();
        parsed.Items["greeting"].Evidence.Should().Equal(0, 2);
        parsed.Items["ideas"].Present.Should().BeFalse();
    }
}

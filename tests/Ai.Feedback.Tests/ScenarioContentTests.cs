using static PracticePlatform.Ai.Feedback.Tests.Consultations;

namespace PracticePlatform.Ai.Feedback.Tests;

public sealed class ScenarioContentTests
{
    private static readonly FeedbackScenario ChestPain = new(
        "Acute chest pain",
        [
            new ScenarioHiddenFact("cocaine_use", "He took cocaine at a party last night.", ["recreational drugs", "cocaine", "street drugs"]),
            new ScenarioHiddenFact("smoker", "He smokes twenty cigarettes a day.", ["smoke", "cigarettes"]),
        ],
        [
            new ScenarioContentItem("asks_drugs", "Asks about recreational drug use, including cocaine", 2),
            new ScenarioContentItem("asks_smoking", "Asks about smoking and cigarettes", 1),
            new ScenarioContentItem("explains_tests", "Explains the ECG, troponin and monitoring in plain words", 1),
        ]);

    [Fact]
    public void A_hidden_fact_disclosed_after_a_question_on_its_trigger_makes_its_content_item_present()
    {
        var assessment = Assess(
            Of(
                "C: Have you taken any recreational drugs recently, cocaine for example?",
                "P: Yeah, I took some cocaine at a party last night.",
                "C: Thanks for telling me."),
            ChestPain);

        var item = assessment.Item("asks_drugs");
        item.Kind.Should().Be("content");
        item.Competency.Should().Be("clinical_content");
        item.Present.Should().BeTrue();
        item.Evidence.Should().ContainSingle().Which.Turn.Should().Be(0);
    }

    [Fact]
    public void A_hidden_fact_never_asked_about_leaves_its_content_item_absent_with_a_suggestion()
    {
        var assessment = Assess(Of("C: Where is the pain?", "P: In the middle of my chest."), ChestPain);

        assessment.Item("asks_drugs").Present.Should().BeFalse();
        assessment.Item("asks_smoking").Present.Should().BeFalse();
        assessment.Item("asks_drugs").Suggestion.Should().Contain("recreational drugs");
    }

    [Fact]
    public void A_content_item_without_a_hidden_fact_is_present_when_the_clinician_covers_its_words()
    {
        var covered = Assess(
            Late("We'll do an ECG, a heart tracing, and a blood test called troponin, and keep you on monitoring for a few hours."),
            ChestPain);
        var notCovered = Assess(Late("We'll keep an eye on you."), ChestPain);

        covered.Item("explains_tests").Present.Should().BeTrue();
        notCovered.Item("explains_tests").Present.Should().BeFalse();
    }

    [Fact]
    public void Content_items_follow_the_sixteen_essentials_and_count_towards_the_rating()
    {
        var transcript = Of("C: Do you smoke?", "P: Yes, about twenty cigarettes a day.");

        var assessment = Assess(transcript, ChestPain);

        assessment.Items.Select(i => i.Code).Should().Equal(ConsultationRubric.Codes.Concat(["asks_drugs", "asks_smoking", "explains_tests"]));
        assessment.Item("asks_smoking").Present.Should().BeTrue();
    }
}

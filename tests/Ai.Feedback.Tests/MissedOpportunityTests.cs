using static PracticePlatform.Ai.Feedback.Tests.Consultations;

namespace PracticePlatform.Ai.Feedback.Tests;

public sealed class MissedOpportunityTests
{
    [Fact]
    public void A_worry_left_untaken_is_a_missed_opportunity_for_concerns_and_empathy()
    {
        var transcript = Of(
            "C: What brings you in?",
            "P: I've got chest pain and I'm really worried it's my heart.",
            "C: When did it start?",
            "P: Yesterday.",
            "C: Does it go down your arm?",
            "P: No.");
        var assessment = Assess(transcript);

        var concerns = assessment.Item("concerns").MissedOpportunity;
        concerns.Should().NotBeNull();
        concerns!.Turn.Should().Be(1);
        transcript.Turns[1].Text.Should().Contain(concerns.Cue);
        assessment.Item("empathy").MissedOpportunity.Should().NotBeNull();
    }

    [Fact]
    public void A_worry_answered_with_empathy_is_not_missed()
    {
        var assessment = Assess(Of(
            "C: What brings you in?",
            "P: I've got chest pain and I'm really worried it's my heart.",
            "C: That sounds frightening, I can understand why you're worried. What exactly worries you most?",
            "P: My dad had a heart attack."));

        assessment.Item("empathy").MissedOpportunity.Should().BeNull();
        assessment.Item("concerns").MissedOpportunity.Should().BeNull();
    }

    [Fact]
    public void Work_mentioned_but_impact_never_asked_is_a_missed_opportunity_for_impact()
    {
        var assessment = Assess(Of(
            "C: What brings you in?",
            "P: This cough is keeping me up at night and I've had to miss work.",
            "C: Are you bringing anything up?",
            "P: No."));

        assessment.Item("impact").Present.Should().BeFalse();
        assessment.Item("impact").MissedOpportunity!.Turn.Should().Be(1);
    }

    [Fact]
    public void The_patients_own_theory_left_unexplored_is_a_missed_opportunity_for_ideas()
    {
        var assessment = Assess(Of(
            "C: What brings you in?",
            "P: I've got a rash. I think it might be the new washing powder.",
            "C: Is it itchy?",
            "P: Yes."));

        assessment.Item("ideas").MissedOpportunity!.Cue.Should().Contain("washing powder");
    }
}

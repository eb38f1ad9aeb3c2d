using static PracticePlatform.Ai.Feedback.Tests.Consultations;

namespace PracticePlatform.Ai.Feedback.Tests;

public sealed class AssessmentContractTests
{
    private static readonly ConsultationTranscript Consultation = Of(
        "C: Hello, I'm Dr Patel, one of the GPs. Can you confirm your name and date of birth?",
        "P: Jo Smith, 2nd of March 1985.",
        "C: Thanks Jo. What brings you in today?",
        "P: I've had a headache for a week and I'm really worried it's something serious. It's stopping me sleeping.",
        "C: And where is the headache?",
        "P: At the front.",
        "C: Any vomiting?",
        "P: No.",
        "C: It sounds like a tension headache. I'd suggest regular paracetamol. If it gets worse or you get a stiff neck, call us straight away.",
        "P: OK, thanks.");

    [Fact]
    public void The_sixteen_essentials_come_in_rubric_order_with_their_competencies()
    {
        var assessment = Assess(Consultation);

        assessment.Items.Select(i => i.Code).Should().Equal(ConsultationRubric.Codes);
        assessment.Items.Should().OnlyContain(i => i.Kind == "essential");
        assessment.Items.Select(i => i.Competency).Should().OnlyContain(c => ConsultationRubric.Competencies.Any(k => k.Code == c));
        assessment.Item("empathy").Competency.Should().Be("relationship");
        assessment.Item("follow_up").Competency.Should().Be("closing");
    }

    [Fact]
    public void Every_evidence_quote_is_a_verbatim_part_of_the_cited_clinician_turn()
    {
        foreach (var transcript in RepositoryData.Transcripts().Prepend(Consultation))
        {
            var turns = transcript.Turns.ToDictionary(t => t.Index);
            foreach (var evidence in Assess(transcript).Items.SelectMany(i => i.Evidence))
            {
                turns[evidence.Turn].IsClinician.Should().BeTrue();
                evidence.Quote.Should().NotBeNullOrWhiteSpace();
                turns[evidence.Turn].Text.Should().Contain(evidence.Quote);
            }
        }
    }

    [Fact]
    public void Present_items_score_one_with_evidence_and_absent_items_score_zero_without()
    {
        var assessment = Assess(Consultation);

        assessment.Items.Where(i => i.Present).Should().OnlyContain(i => i.Score == 1 && i.Evidence.Count > 0);
        assessment.Items.Where(i => !i.Present).Should().OnlyContain(i => i.Score == 0 && i.Evidence.Count == 0);
    }

    [Fact]
    public void Absent_items_get_a_suggestion_that_names_the_presenting_problem_where_it_can()
    {
        var assessment = Assess(Consultation);

        assessment.Items.Where(i => !i.Present).Should().OnlyContain(i => !string.IsNullOrWhiteSpace(i.Suggestion));
        assessment.Item("impact").Suggestion.Should().Contain("your headache");
    }

    [Fact]
    public void The_report_has_a_rating_from_one_to_five_some_strengths_and_two_or_three_goals()
    {
        var assessment = Assess(Consultation);

        assessment.GlobalRating.Should().BeInRange(1, 5);
        assessment.Strengths.Should().HaveCountGreaterThanOrEqualTo(1).And.HaveCountLessThanOrEqualTo(3);
        assessment.Goals.Should().HaveCountGreaterThanOrEqualTo(2).And.HaveCountLessThanOrEqualTo(3);
    }

    [Fact]
    public void A_fuller_consultation_rates_higher_than_a_thin_one()
    {
        var thin = Assess(Of("C: Any fever?", "P: No.", "C: Right.", "P: Bye."));

        Assess(Consultation).GlobalRating.Should().BeGreaterThan(thin.GlobalRating);
    }

    [Fact]
    public void Scoring_the_same_transcript_twice_gives_the_same_assessment()
    {
        foreach (var transcript in RepositoryData.Transcripts().Take(5))
        {
            var first = Assess(transcript);
            var second = Assess(transcript);

            second.GlobalRating.Should().Be(first.GlobalRating);
            second.Strengths.Should().Equal(first.Strengths);
            second.Goals.Should().Equal(first.Goals);
            second.Items.Select(Describe).Should().Equal(first.Items.Select(Describe));
        }
    }

    [Fact]
    public async Task The_engine_stamps_itself_as_offline_rules_with_the_rubric_version()
    {
        var engine = new Offline.OfflineFeedbackEngine();

        var result = await engine.AssessAsync(new FeedbackRequest(Consultation, FeedbackScenario.None), CancellationToken.None);

        result.ProducedBy.Name.Should().Be("offline");
        result.ProducedBy.Model.Should().Be("rules");
        result.ProducedBy.RubricVersion.Should().Be(ConsultationRubric.Version);
        result.Usage.Should().BeNull();
    }

    private static string Describe(ItemAssessment item) =>
        $"{item.Code}|{item.Present}|{string.Join(";", item.Evidence.Select(e => $"{e.Turn}:{e.Quote}"))}|{item.MissedOpportunity}|{item.Suggestion}";
}

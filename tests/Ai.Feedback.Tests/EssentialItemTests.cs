using static PracticePlatform.Ai.Feedback.Tests.Consultations;

namespace PracticePlatform.Ai.Feedback.Tests;

/// <summary>Each rubric item on short hand-written consultations, including the borderline readings of RUBRIC.md.</summary>
public sealed class EssentialItemTests
{
    [Fact]
    public void A_greeting_and_an_introduction_with_a_role_are_recognised()
    {
        var assessment = Assess(Of("C: Good morning, I'm Dr Okafor, one of the GPs here.", "P: Morning."));

        assessment.Item("greeting").Present.Should().BeTrue();
        assessment.Item("introduction").Present.Should().BeTrue();
        assessment.Item("introduction").Evidence.Should().ContainSingle().Which.Turn.Should().Be(0);
    }

    [Fact]
    public void A_first_name_with_a_role_is_an_introduction()
    {
        Assess(Of("C: Hi, I'm Sarah, one of the practice nurses.", "P: Hello.")).Item("introduction").Present.Should().BeTrue();
    }

    [Fact]
    public void A_bare_greeting_is_not_an_introduction()
    {
        var assessment = Assess(Of("C: Hello there, good afternoon.", "P: Hi."));

        assessment.Item("greeting").Present.Should().BeTrue();
        assessment.Item("introduction").Present.Should().BeFalse();
    }

    [Fact]
    public void Asking_for_name_and_date_of_birth_confirms_identity()
    {
        var assessment = Assess(Of("C: Hi. Could you confirm your full name and date of birth for me?", "P: Sam Jones, 3rd of May 1980."));

        assessment.Item("identity_check").Present.Should().BeTrue();
    }

    [Fact]
    public void An_open_question_about_the_reason_for_the_visit_is_an_open_opening()
    {
        var assessment = Assess(Of(
            "C: Hello, can you confirm your name please?",
            "P: Sam Jones.",
            "C: Thanks. What brings you in today?",
            "P: I've had a cough for a week."));

        assessment.Item("open_opening").Present.Should().BeTrue();
        assessment.Item("open_opening").Evidence.Single().Turn.Should().Be(2);
    }

    [Fact]
    public void A_closed_check_of_the_booked_reason_as_the_first_question_is_not_an_open_opening()
    {
        var assessment = Assess(Of(
            "C: Hello. I see from the notes you've got chest pain, is that correct?",
            "P: Yes.",
            "C: And when did it start?",
            "P: This morning."));

        assessment.Item("open_opening").Present.Should().BeFalse();
    }

    [Fact]
    public void A_closed_check_followed_at_once_by_an_open_prompt_is_an_open_opening()
    {
        var assessment = Assess(Of(
            "C: Hello. It says here you've got chest pain, is that correct?",
            "P: Yes.",
            "C: OK. Can you tell me a bit more about that?",
            "P: It started this morning."));

        assessment.Item("open_opening").Present.Should().BeTrue();
    }

    [Fact]
    public void Asking_when_it_started_before_any_open_question_is_not_an_open_opening()
    {
        var assessment = Assess(Of(
            "C: Hello, before we start can I check your name?",
            "P: Sam Jones.",
            "C: So when did the pain start?",
            "P: Yesterday.",
            "C: Can you tell me a bit more about it?",
            "P: It's sharp."));

        assessment.Item("open_opening").Present.Should().BeFalse();
    }

    [Fact]
    public void A_social_how_are_you_is_not_the_opening_question()
    {
        var assessment = Assess(Of(
            "C: Hi, how are you?",
            "P: Not great.",
            "C: Have you had a temperature?",
            "P: No."));

        assessment.Item("open_opening").Present.Should().BeFalse();
    }

    [Fact]
    public void Asking_what_the_patient_thinks_is_causing_it_elicits_ideas()
    {
        var assessment = Assess(Of("C: Do you have any thoughts yourself about what might be causing the headaches?", "P: Maybe stress."));

        assessment.Item("ideas").Present.Should().BeTrue();
    }

    [Fact]
    public void Asking_about_triggers_or_exposures_is_not_eliciting_ideas()
    {
        var assessment = Assess(Of("C: Are you aware of any triggers? Have you eaten out recently?", "P: No."));

        assessment.Item("ideas").Present.Should().BeFalse();
    }

    [Fact]
    public void Asking_what_worries_the_patient_elicits_concerns()
    {
        var assessment = Assess(Of("C: Is there anything in particular that's worrying you about this?", "P: I'm scared it's cancer."));

        assessment.Item("concerns").Present.Should().BeTrue();
    }

    [Fact]
    public void Asking_about_symptoms_or_reassuring_is_not_eliciting_concerns()
    {
        var assessment = Assess(Of(
            "C: Do you have any pain when you pass urine?",
            "P: A little.",
            "C: It's nothing to worry about, it's very common.",
            "P: OK."));

        assessment.Item("concerns").Present.Should().BeFalse();
    }

    [Fact]
    public void Asking_what_the_patient_hopes_for_elicits_expectations()
    {
        var assessment = Assess(Of("C: What were you hoping we could do for you today?", "P: Some antibiotics maybe."));

        assessment.Item("expectations").Present.Should().BeTrue();
    }

    [Fact]
    public void Asking_how_it_affects_work_or_sleep_is_impact()
    {
        var assessment = Assess(Of("C: How has this been affecting your work? And are you able to sleep at night?", "P: I've been off for two days."));

        assessment.Item("impact").Present.Should().BeTrue();
    }

    [Fact]
    public void Grading_a_symptom_by_an_activity_is_not_impact()
    {
        var assessment = Assess(Of(
            "C: Do you get breathless walking up the stairs?",
            "P: Yes, after one flight.",
            "C: And how is your appetite?",
            "P: Fine."));

        assessment.Item("impact").Present.Should().BeFalse();
    }

    [Fact]
    public void Validating_feelings_is_empathy()
    {
        var assessment = Assess(Of("P: I've been so worried about it.", "C: That sounds really difficult, I can understand why you'd be worried."));

        assessment.Item("empathy").Present.Should().BeTrue();
        assessment.Item("empathy").Evidence.Single().Turn.Should().Be(1);
    }

    [Fact]
    public void Plain_reassurance_is_not_empathy()
    {
        var assessment = Assess(Of("P: Is it serious?", "C: No, there's nothing to worry about, it will settle in a few days."));

        assessment.Item("empathy").Present.Should().BeFalse();
    }

    [Fact]
    public void A_recap_of_several_points_is_a_summary()
    {
        var assessment = Assess(Of("P: That's everything.", "C: So just to recap, you've had loose stools for three days, with cramps, and no blood. Is that right?"));

        assessment.Item("summary").Present.Should().BeTrue();
    }

    [Fact]
    public void Restating_three_points_without_a_marker_is_a_summary()
    {
        var assessment = Assess(Of("P: Yes.", "C: So you've had the diarrhoea for three days, and now you're having tummy pain and vomiting."));

        assessment.Item("summary").Present.Should().BeTrue();
    }

    [Fact]
    public void Echoing_a_single_fact_is_not_a_summary()
    {
        var assessment = Assess(Of("P: It started on Monday.", "C: So you've had it since Monday. Any fever?"));

        assessment.Item("summary").Present.Should().BeFalse();
    }

    [Fact]
    public void Saying_what_is_likely_going_on_is_an_explanation()
    {
        var assessment = Assess(Late("From what you've told me, it sounds like you've got a viral chest infection."));

        assessment.Item("explanation").Present.Should().BeTrue();
    }

    [Fact]
    public void Does_that_make_sense_checks_understanding()
    {
        var assessment = Assess(Late("It's most likely a urine infection. Does that make sense?"));

        assessment.Item("check_understanding").Present.Should().BeTrue();
        assessment.Item("shared_decision").Present.Should().BeFalse();
    }

    [Fact]
    public void A_bare_ok_tag_is_neither_checking_understanding_nor_shared_decision()
    {
        var assessment = Assess(Late("I'll send a prescription to your pharmacy, OK?"));

        assessment.Item("check_understanding").Present.Should().BeFalse();
        assessment.Item("shared_decision").Present.Should().BeFalse();
    }

    [Fact]
    public void How_does_that_sound_and_laying_out_options_are_shared_decision()
    {
        Assess(Late("We could try some antibiotics. How does that sound?")).Item("shared_decision").Present.Should().BeTrue();
        Assess(Late("There are two options: I can call an ambulance, or you can take yourself to hospital.")).Item("shared_decision").Present.Should().BeTrue();
        Assess(Late("Is that OK with you?")).Item("shared_decision").Present.Should().BeTrue();
    }

    [Fact]
    public void Warning_signs_with_where_to_go_are_safety_netting()
    {
        var assessment = Assess(Late("If the pain gets worse or you develop a high temperature, call us back straight away or go to A and E."));

        assessment.Item("safety_net").Present.Should().BeTrue();
    }

    [Fact]
    public void Come_back_if_not_better_is_safety_netting_not_follow_up()
    {
        var assessment = Assess(Late("If it isn't getting better in a few days, come back and see me."));

        assessment.Item("safety_net").Present.Should().BeTrue();
        assessment.Item("follow_up").Present.Should().BeFalse();
    }

    [Fact]
    public void A_prescription_or_a_booked_review_is_follow_up()
    {
        Assess(Late("I'll send a prescription for antibiotics to your pharmacy.")).Item("follow_up").Present.Should().BeTrue();
        Assess(Late("We'll book you a review appointment in two weeks.")).Item("follow_up").Present.Should().BeTrue();
    }

    [Fact]
    public void Asking_about_medicines_already_taken_is_not_follow_up()
    {
        var assessment = Assess(Late("Have you taken any paracetamol for it?"));

        assessment.Item("follow_up").Present.Should().BeFalse();
    }

    [Fact]
    public void Inviting_questions_is_recognised_but_asking_about_allergies_is_not()
    {
        Assess(Late("Have you got any other questions for me?")).Item("questions_invited").Present.Should().BeTrue();
        Assess(Late("Do you have any allergies to any medication?")).Item("questions_invited").Present.Should().BeFalse();
    }

    [Fact]
    public void Disfluencies_and_transcription_tags_do_not_hide_an_item()
    {
        var assessment = Assess(Of("C: Um, [inaudible] uh, how can I <INAUDIBLE_SPEECH/> help you today?", "P: My back hurts."));

        assessment.Item("open_opening").Present.Should().BeTrue();
    }
}

namespace PracticePlatform.Ai.Feedback;

public sealed record RubricCompetency(string Code, string Title);

/// <summary>An observable consultation item; <see cref="Definition"/> is the rubric's "present when a clinician turn ...".</summary>
public sealed record RubricItem(string Code, string Title, string Definition, string Competency);

/// <summary>The sixteen consultation essentials of RUBRIC.md (Calgary-Cambridge, SEGUE, Kalamazoo, ICE, NURSE, teach-back), in its order.</summary>
public static class ConsultationRubric
{
    public const string Version = "consultation-essentials/1";

    public const string ScenarioContentCompetency = "clinical_content";

    public static IReadOnlyList<RubricCompetency> Competencies { get; } =
    [
        new("initiating", "Initiating the session"),
        new("gathering", "Gathering information"),
        new("relationship", "Building the relationship"),
        new("explanation", "Explanation and planning"),
        new("closing", "Closing the session"),
        new(ScenarioContentCompetency, "Scenario content"),
    ];

    public static IReadOnlyList<RubricItem> Items { get; } =
    [
        new("greeting", "Greeting", "Greets the patient (hello, hi, good morning) near the start.", "initiating"),
        new("introduction", "Introduces self", "Gives own name and/or role (\"I'm Dr Patel\", \"I'm one of the GPs\"). A bare greeting does not count.", "initiating"),
        new("identity_check", "Confirms identity", "Asks for or confirms the patient's name, date of birth or other identifier.", "initiating"),
        new("open_opening", "Open opening question", "Asks an open question to elicit the reason for the visit before any closed questions (\"How can I help?\", \"What brings you in today?\").", "initiating"),
        new("ideas", "Elicits ideas", "Asks what the patient thinks is causing the problem or what it might be.", "gathering"),
        new("concerns", "Elicits concerns", "Asks what worries or concerns the patient (\"Is anything in particular worrying you?\"). Asking about symptoms is not this.", "gathering"),
        new("expectations", "Elicits expectations", "Asks what the patient hopes for or expects from the consultation or treatment.", "gathering"),
        new("impact", "Impact on life", "Asks how the problem affects daily life, work, sleep, eating, activities or family.", "gathering"),
        new("empathy", "Empathic statement", "Makes an explicit empathic, validating or supportive statement about the patient's situation or feelings (\"Sorry to hear that\", \"I can understand why you'd be worried\").", "relationship"),
        new("summary", "Summarises", "Restates several gathered points back to the patient. Echoing a single fact does not count.", "gathering"),
        new("explanation", "Explains", "Explains the likely diagnosis, cause or what is going on in words the patient can follow.", "explanation"),
        new("check_understanding", "Checks understanding", "Checks that the patient understood an explanation or plan (\"Does that make sense?\", \"Is the plan clear?\", or teach-back).", "explanation"),
        new("shared_decision", "Involves the patient in decisions", "Offers options, asks the patient's preference, or asks whether they agree with or are happy with the plan (\"How does that sound?\").", "explanation"),
        new("safety_net", "Safety-netting", "Tells the patient which warning signs or lack of improvement should make them seek help again, and/or when and where to do so.", "closing"),
        new("questions_invited", "Invites questions", "Invites the patient's questions or asks if there is anything else (\"Any questions?\").", "closing"),
        new("follow_up", "Agrees next steps", "States a concrete next step or follow-up: a test, a prescription, a referral, a review appointment.", "closing"),
    ];

    public static IReadOnlyList<string> Codes { get; } = Items.Select(i => i.Code).ToList();

    public static RubricItem Item(string code) =>
        Items.FirstOrDefault(i => i.Code == code) ?? throw new ArgumentException($"No rubric item '{code}'.", nameof(code));
}

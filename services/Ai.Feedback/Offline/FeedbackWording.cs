using System.Text.RegularExpressions;

namespace PracticePlatform.Ai.Feedback.Offline;

/// <summary>
/// What the learner reads: a phrasing to try for each item, naming the presenting problem where the transcript gives
/// it away, and the sentences for strengths and goals.
/// </summary>
internal static partial class FeedbackWording
{
    /// <summary>The items in the order a learner gains most from working on them (patient-centred gathering first).</summary>
    public static IReadOnlyList<string> GoalPriority { get; } =
    [
        "open_opening", "concerns", "ideas", "empathy", "impact", "safety_net", "summary", "expectations", "check_understanding",
        "shared_decision", "explanation", "questions_invited", "follow_up", "introduction", "identity_check", "greeting",
    ];

    /// <summary>The items whose presence says most about the consultation, for the strengths.</summary>
    public static IReadOnlyList<string> StrengthPriority { get; } =
    [
        "empathy", "ideas", "concerns", "summary", "impact", "expectations", "check_understanding", "shared_decision",
        "safety_net", "open_opening", "explanation", "questions_invited", "follow_up", "introduction", "identity_check", "greeting",
    ];

    /// <summary>
    /// "your headache", "your cough": the complaint the patient names in answer to the opening (the first two patient
    /// turns after it, or after the start), else "this". Later mentions are left alone: they are often negations ("no
    /// fever").
    /// </summary>
    public static string PresentingProblem(ConsultationReading reading, int? openingTurn)
    {
        var answers = reading.PatientTurns
            .Where(t => openingTurn is null || t.Turn.Index > openingTurn)
            .Where(t => ConsultationReading.Words(t.Clean).Count >= 4)
            .Take(2);
        foreach (var patient in answers)
        {
            var match = Complaint().Match(patient.Clean);
            if (match.Success)
            {
                return match.Value switch
                {
                    var v when v.StartsWith("diarrh", StringComparison.Ordinal) => "your diarrhoea",
                    var v when v.Contains("pee", StringComparison.Ordinal) || v.Contains("urin", StringComparison.Ordinal) || v.Contains("wee", StringComparison.Ordinal) => "the pain passing urine",
                    var v when v.StartsWith("breathless", StringComparison.Ordinal) || v.StartsWith("short", StringComparison.Ordinal) => "your breathlessness",
                    var v when v.StartsWith("wheez", StringComparison.Ordinal) => "your wheeze",
                    var v when v.StartsWith("dizz", StringComparison.Ordinal) => "the dizziness",
                    var v => "your " + v,
                };
            }
        }

        return "this";
    }

    public static string? Suggestion(string code, string problem, bool present) => (code, present) switch
    {
        ("greeting", false) => "Open with a greeting before anything else: \"Hello, good morning, thanks for coming in.\"",
        ("introduction", false) => "Say who you are and what you do: \"I'm Dr [name], one of the doctors here.\"",
        ("identity_check", false) => "Confirm who you are speaking to: \"Before we start, could you confirm your full name and date of birth?\"",
        ("open_opening", false) => "Let the patient tell it first, before any closed question: \"What brings you in today?\" or \"Tell me what's been going on.\"",
        ("ideas", false) => $"Ask for their own view: \"Do you have any thoughts yourself about what might be causing {problem}?\"",
        ("concerns", false) => $"Ask about worries directly: \"Is there anything in particular about {problem} that's worrying you?\"",
        ("expectations", false) => $"Ask what they hope for: \"What were you hoping we could do about {problem} today?\"",
        ("impact", false) => $"Ask about daily life: \"How has {problem} been affecting you day to day, at work or with your sleep?\"",
        ("empathy", false) => "Name what the patient feels before moving on: \"That sounds really difficult; I can understand why you'd be worried.\"",
        ("summary", false) => "Recap before moving on, and invite corrections: \"Let me check I've got this right: you've had ..., with ..., and no .... Is that right?\"",
        ("explanation", false) => $"Say what you think is going on in plain words: \"From what you've told me, I think {problem} is most likely caused by ...\"",
        ("check_understanding", false) => "After explaining, check it landed: \"I've said quite a lot there; does that make sense?\" or ask them to say the plan back.",
        ("check_understanding", true) => "Teach-back checks more than a yes/no: \"Just so I know I've explained it well, can you tell me what you'll do next?\"",
        ("shared_decision", false) => "Bring the patient into the plan: \"There are a couple of options here ... How does that sound to you?\"",
        ("safety_net", false) => $"Tell them when to come back: \"If {problem} gets worse, or isn't better in a few days, please contact us; if [warning signs], go to A&E.\"",
        ("questions_invited", false) => "Before closing, invite questions: \"Is there anything you'd like to ask me, or anything else I can help with today?\"",
        ("follow_up", false) => "End with a concrete next step: a prescription, a test, a referral or a review (\"I'll book you a review in a week\").",
        _ => null,
    };

    public static string Strength(string code, string quote) => code switch
    {
        "empathy" => $"You acknowledged the patient's feelings (\"{Short(quote)}\").",
        "ideas" => $"You asked for the patient's own ideas (\"{Short(quote)}\").",
        "concerns" => $"You explored what worried the patient (\"{Short(quote)}\").",
        "expectations" => $"You asked what the patient hoped for (\"{Short(quote)}\").",
        "summary" => $"You summarised the history back to the patient (\"{Short(quote)}\").",
        "impact" => $"You asked how the problem affects daily life (\"{Short(quote)}\").",
        "check_understanding" => $"You checked the patient understood (\"{Short(quote)}\").",
        "shared_decision" => $"You involved the patient in the decision (\"{Short(quote)}\").",
        "safety_net" => $"You safety-netted clearly (\"{Short(quote)}\").",
        "open_opening" => $"You opened with an open question (\"{Short(quote)}\").",
        "explanation" => $"You explained what is likely going on (\"{Short(quote)}\").",
        "questions_invited" => $"You invited the patient's questions (\"{Short(quote)}\").",
        "follow_up" => $"You agreed a concrete next step (\"{Short(quote)}\").",
        _ => $"You covered {ConsultationRubric.Items.FirstOrDefault(i => i.Code == code)?.Title.ToLowerInvariant() ?? code} (\"{Short(quote)}\").",
    };

    public static string Goal(string title, string? suggestion) =>
        suggestion is null ? $"Work on: {title.ToLowerInvariant()}." : $"{title}: {suggestion}";

    private static string Short(string quote)
    {
        var text = quote.Trim();
        return text.Length <= 90 ? text : string.Concat(text.AsSpan(0, 87).TrimEnd(), "...");
    }

    [GeneratedRegex(@"\b(?:headaches?|migraines?|cough|sore throat|diarrh(?:o)?ea|chest pain|shortness of breath|short of breath|breathless\w*|wheez\w*|rash|back pain|tummy pain|stomach pain|abdominal pain|(?:hurts?|hurting|pain|burning|stinging) when i (?:pee|wee|pass urine|urinate)|fever|vomiting|anxiety|palpitations|dizz\w*|swelling|numbness|tingling|eczema|earache|runny nose|chest tightness|joint pain|knee pain|neck pain|low mood)\b")]
    private static partial Regex Complaint();
}

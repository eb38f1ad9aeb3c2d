using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace PracticePlatform.Content.Model;

/// <summary>
/// A whole scenario as one JSON document (schema <see cref="Schema"/>): its catalogue entry, the patient persona,
/// the dialogue flow and the scenario's own rubric items. The seed library is written in it, and authors import and
/// export scenarios in it. The sixteen "Consultation essentials" items are not repeated here: every scenario is
/// assessed against them (<see cref="ConsultationEssentials"/>) plus its own content items.
/// </summary>
public sealed partial record ScenarioDocument : IValidatableObject
{
    public const string Schema = "practiceplatform.scenario/v1";

    /// <summary>The schema name and version, so old exports stay importable once the format changes.</summary>
    public required string SchemaVersion { get; init; }

    /// <summary>A stable, URL-safe key (lower-case words joined by hyphens), unique in the library.</summary>
    public required string Slug { get; init; }

    public required string Title { get; init; }

    public required string Summary { get; init; }

    /// <summary>One of <see cref="ClinicalAreas.All"/>.</summary>
    public required string ClinicalArea { get; init; }

    /// <summary>Where the conversation takes place, e.g. "GP surgery", "Emergency department cubicle".</summary>
    public required string Setting { get; init; }

    public required Difficulty Difficulty { get; init; }

    public required int EstimatedMinutes { get; init; }

    /// <summary>One of <see cref="CommunicationFrameworks.All"/>.</summary>
    public required string Framework { get; init; }

    public required IReadOnlyList<string> LearningObjectives { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The consultation-essentials codes this scenario exercises most; empty means the framework's usual ones
    /// (<see cref="CommunicationFrameworks.FocusOf"/>).</summary>
    public IReadOnlyList<string> FocusItems { get; init; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> EffectiveFocusItems => FocusItems.Count > 0 ? FocusItems : CommunicationFrameworks.FocusOf(Framework);

    public required PersonaDocument Persona { get; init; }

    public required DialogueFlowDocument Flow { get; init; }

    /// <summary>What a competent learner should do or find out in this scenario, beyond the consultation essentials.</summary>
    public required IReadOnlyList<RubricItemDocument> ContentItems { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SchemaVersion != Schema)
        {
            yield return Error($"schemaVersion must be \"{Schema}\".", "schemaVersion");
        }

        if (Slug is null || !SlugPattern().IsMatch(Slug))
        {
            yield return Error("slug is lower-case words joined by hyphens (3 to 80 characters).", "slug");
        }

        foreach (var (value, name, max) in new[] { (Title, "title", 120), (Summary, "summary", 600), (Setting, "setting", 120) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > max)
            {
                yield return Error($"{name} is required, at most {max} characters.", name);
            }
        }

        if (!ClinicalAreas.All.Contains(ClinicalArea))
        {
            yield return Error($"clinicalArea is one of: {string.Join(", ", ClinicalAreas.All)}.", "clinicalArea");
        }

        if (!CommunicationFrameworks.All.Contains(Framework))
        {
            yield return Error($"framework is one of: {string.Join(", ", CommunicationFrameworks.All)}.", "framework");
        }

        if (EstimatedMinutes is < 5 or > 60)
        {
            yield return Error("estimatedMinutes is between 5 and 60.", "estimatedMinutes");
        }

        if (LearningObjectives is not { Count: >= 2 and <= 10 } || LearningObjectives.Any(string.IsNullOrWhiteSpace))
        {
            yield return Error("learningObjectives has 2 to 10 entries.", "learningObjectives");
        }

        if (Tags.Count > 12 || Tags.Any(t => !TagPattern().IsMatch(t)))
        {
            yield return Error("tags: at most 12, each lower-case words joined by hyphens.", "tags");
        }

        if (FocusItems.Count > 8 || FocusItems.Any(code => !ConsultationEssentials.Codes.Contains(code)))
        {
            yield return Error("focusItems: at most 8 codes of the consultation essentials.", "focusItems");
        }

        foreach (var result in Persona?.Validate() ?? [Error("persona is required.", "persona")])
        {
            yield return result;
        }

        foreach (var result in Flow?.Validate() ?? [Error("flow is required.", "flow")])
        {
            yield return result;
        }

        var codes = (ContentItems ?? []).Select(i => i.Code).ToList();
        if (ContentItems is not { Count: >= 3 and <= 20 })
        {
            yield return Error("contentItems has 3 to 20 items.", "contentItems");
        }
        else if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count || codes.Any(ConsultationEssentials.Codes.Contains))
        {
            yield return Error("contentItems codes are unique and differ from the consultation essentials' codes.", "contentItems");
        }

        foreach (var item in ContentItems ?? [])
        {
            if (!CodePattern().IsMatch(item.Code ?? string.Empty) || string.IsNullOrWhiteSpace(item.Description) ||
                string.IsNullOrWhiteSpace(item.FrameworkReference) || item.Weight is <= 0 or > 5)
            {
                yield return Error($"contentItems '{item.Code}': a snake_case code, a description, a framework reference and a weight in (0, 5].", "contentItems");
            }
        }
    }

    internal static ValidationResult Error(string message, string member) => new(message, [member]);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^(?=.{3,80}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{1,47}$")]
    internal static partial Regex CodePattern();
}

/// <summary>The simulated patient. Hidden facts are disclosed only when the learner asks about them; they are never
/// shown to learners by any endpoint.</summary>
public sealed record PersonaDocument
{
    public required string Name { get; init; }

    public required int Age { get; init; }

    /// <summary>As the patient would describe themselves, e.g. "woman", "man".</summary>
    public required string Gender { get; init; }

    public required string Occupation { get; init; }

    /// <summary>Who they are, in a few sentences the simulated patient can draw on.</summary>
    public required string Background { get; init; }

    public required string PresentingComplaint { get; init; }

    /// <summary>Past medical history.</summary>
    public required string History { get; init; }

    public required IReadOnlyList<MedicationDocument> Medications { get; init; }

    /// <summary>Empty when none known ("no known drug allergies").</summary>
    public required IReadOnlyList<string> Allergies { get; init; }

    public required string SocialHistory { get; init; }

    public required string FamilyHistory { get; init; }

    public required string Personality { get; init; }

    public required EmotionalStateDocument EmotionalState { get; init; }

    public required IReadOnlyList<HiddenFactDocument> HiddenFacts { get; init; }

    /// <summary>Things the patient says, in their own words, to give the simulation a voice.</summary>
    public required IReadOnlyList<string> Phrases { get; init; }

    /// <summary>The language the patient is most at ease in (e.g. "English", "Polish").</summary>
    public string PreferredLanguage { get; init; } = "English";

    /// <summary>"fluent", "good" or "limited".</summary>
    public string EnglishProficiency { get; init; } = "fluent";

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Age is < 0 or > 110 || string.IsNullOrWhiteSpace(PresentingComplaint) ||
            string.IsNullOrWhiteSpace(Background) || string.IsNullOrWhiteSpace(Personality))
        {
            yield return ScenarioDocument.Error("persona needs a name, an age from 0 to 110, a background, a presenting complaint and a personality.", "persona");
        }

        if (EnglishProficiency is not ("fluent" or "good" or "limited"))
        {
            yield return ScenarioDocument.Error("persona.englishProficiency is fluent, good or limited.", "persona.englishProficiency");
        }

        if (HiddenFacts is not { Count: >= 2 and <= 12 })
        {
            yield return ScenarioDocument.Error("persona.hiddenFacts has 2 to 12 facts.", "persona.hiddenFacts");
        }

        foreach (var fact in HiddenFacts ?? [])
        {
            if (!ScenarioDocument.CodePattern().IsMatch(fact.Code ?? string.Empty) || string.IsNullOrWhiteSpace(fact.Fact) ||
                string.IsNullOrWhiteSpace(fact.DisclosedWhen) || fact.Triggers is not { Count: > 0 } || fact.Triggers.Any(string.IsNullOrWhiteSpace))
            {
                yield return ScenarioDocument.Error($"persona.hiddenFacts '{fact.Code}': a snake_case code, the fact, when it is disclosed and trigger words.", "persona.hiddenFacts");
            }
        }

        if (Phrases is not { Count: >= 3 })
        {
            yield return ScenarioDocument.Error("persona.phrases has at least 3 phrases.", "persona.phrases");
        }

        if (EmotionalState is null || string.IsNullOrWhiteSpace(EmotionalState.Initial) || EmotionalState.Changes is not { Count: >= 1 })
        {
            yield return ScenarioDocument.Error("persona.emotionalState has an initial state and at least one change.", "persona.emotionalState");
        }
    }
}

public sealed record MedicationDocument(string Name, string Dose, string? Notes = null);

/// <summary>How the patient feels at the start, and what moves them.</summary>
public sealed record EmotionalStateDocument(string Initial, IReadOnlyList<EmotionalChangeDocument> Changes);

/// <summary>"When the learner {Trigger}, the patient becomes {Becomes}."</summary>
public sealed record EmotionalChangeDocument(string Trigger, string Becomes);

/// <summary>Something the patient knows but only says when asked: <see cref="Triggers"/> are words in the learner's
/// question that count as asking (lower-case stems, matched case-insensitively).</summary>
public sealed record HiddenFactDocument(string Code, string Fact, string DisclosedWhen, IReadOnlyList<string> Triggers);

/// <summary>How the conversation is expected to go.</summary>
public sealed record DialogueFlowDocument
{
    /// <summary>What the patient says first, once greeted.</summary>
    public required string OpeningLine { get; init; }

    /// <summary>What the learner is expected to cover, in a sensible order.</summary>
    public required IReadOnlyList<FlowTopicDocument> Topics { get; init; }

    /// <summary>Moments that change the patient's state.</summary>
    public required IReadOnlyList<FlowBranchDocument> Branches { get; init; }

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(OpeningLine))
        {
            yield return ScenarioDocument.Error("flow.openingLine is required.", "flow.openingLine");
        }

        if (Topics is not { Count: >= 3 and <= 20 } ||
            Topics.Any(t => !ScenarioDocument.CodePattern().IsMatch(t.Code ?? string.Empty) || string.IsNullOrWhiteSpace(t.Description) || t.ExamplePhrasings is not { Count: > 0 }))
        {
            yield return ScenarioDocument.Error("flow.topics has 3 to 20 topics, each with a snake_case code, a description and example phrasings.", "flow.topics");
        }

        if (Branches is not { Count: >= 1 } || Branches.Any(b => string.IsNullOrWhiteSpace(b.When) || string.IsNullOrWhiteSpace(b.PatientState) || string.IsNullOrWhiteSpace(b.PatientResponse)))
        {
            yield return ScenarioDocument.Error("flow.branches has at least one branch, each with when, patientState and patientResponse.", "flow.branches");
        }
    }
}

public sealed record FlowTopicDocument(string Code, string Description, IReadOnlyList<string> ExamplePhrasings);

/// <summary>"When the learner {When}, the patient becomes {PatientState} and says something like {PatientResponse}."</summary>
public sealed record FlowBranchDocument(string When, string PatientState, string PatientResponse);

/// <summary>One thing the learner is assessed on.</summary>
public sealed record RubricItemDocument(string Code, string Description, string FrameworkReference, double Weight);

public static class ClinicalAreas
{
    /// <summary>Code → display name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cardiology"] = "Cardiology",
        ["emergency-medicine"] = "Emergency medicine",
        ["endocrinology"] = "Endocrinology",
        ["general-medicine"] = "General medicine",
        ["geriatrics"] = "Geriatrics",
        ["mental-health"] = "Mental health",
        ["obstetrics-and-gynaecology"] = "Obstetrics and gynaecology",
        ["oncology"] = "Oncology",
        ["paediatrics"] = "Paediatrics",
        ["palliative-care"] = "Palliative care",
        ["primary-care"] = "Primary care",
        ["respiratory"] = "Respiratory",
        ["surgery"] = "Surgery",
    };

    public static readonly IReadOnlySet<string> All = Names.Keys.ToHashSet(StringComparer.Ordinal);

    public static string NameOf(string code) => Names.GetValueOrDefault(code, code);
}

public static class CommunicationFrameworks
{
    /// <summary>Code → (display name, the consultation-essentials items the framework exercises most).</summary>
    private static readonly Dictionary<string, (string Name, string[] Focus)> Frameworks = new(StringComparer.Ordinal)
    {
        ["bathe"] = ("BATHE", ["impact", "empathy", "concerns"]),
        ["calgary-cambridge"] = ("Calgary-Cambridge", ["open_opening", "ideas", "concerns", "expectations", "summary", "safety_net"]),
        ["ice"] = ("ICE", ["ideas", "concerns", "expectations"]),
        ["motivational-interviewing"] = ("Motivational interviewing", ["ideas", "expectations", "empathy", "summary", "shared_decision"]),
        ["nurse"] = ("NURSE", ["empathy", "concerns", "impact"]),
        ["segue"] = ("SEGUE", ["open_opening", "impact", "questions_invited", "follow_up"]),
        ["shared-decision-making"] = ("Shared decision making", ["shared_decision", "explanation", "check_understanding", "expectations"]),
        ["spikes"] = ("SPIKES", ["ideas", "explanation", "empathy", "check_understanding", "summary"]),
        ["teach-back"] = ("Teach-back", ["explanation", "check_understanding", "safety_net", "follow_up"]),
    };

    public static readonly IReadOnlySet<string> All = Frameworks.Keys.ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Names { get; } = Frameworks.ToDictionary(f => f.Key, f => f.Value.Name, StringComparer.Ordinal);

    public static string NameOf(string code) => Frameworks.TryGetValue(code, out var framework) ? framework.Name : code;

    public static IReadOnlyList<string> FocusOf(string code) => Frameworks.TryGetValue(code, out var framework) ? framework.Focus : [];
}

/// <summary>The default rubric every scenario is assessed against: the sixteen observable items of
/// ../shared/evaluation/RUBRIC.md.</summary>
public static class ConsultationEssentials
{
    public const string Name = "Consultation essentials";

    public static readonly IReadOnlyList<RubricItemDocument> Items =
    [
        new("greeting", "Greets the patient near the start.", "CCG initiating 1; SEGUE 1", 1),
        new("introduction", "Gives own name and/or role.", "CCG initiating 2", 1),
        new("identity_check", "Asks for or confirms the patient's name, date of birth or other identifier.", "Patient-safety practice", 1),
        new("open_opening", "Opens with an open question about the reason for the visit.", "CCG initiating 4; SEGUE 2", 1),
        new("ideas", "Asks what the patient thinks is causing the problem.", "ICE; CCG gathering; SEGUE 6", 1),
        new("concerns", "Asks what worries or concerns the patient.", "ICE; Kalamazoo D", 1),
        new("expectations", "Asks what the patient hopes for or expects.", "ICE; Kalamazoo D", 1),
        new("impact", "Asks how the problem affects daily life, work, sleep or family.", "SEGUE 10; CCG gathering", 1),
        new("empathy", "Makes an explicit empathic, validating or supportive statement.", "SEGUE 22; NURSE", 1),
        new("summary", "Restates several gathered points back to the patient.", "CCG gathering 14; Kalamazoo C", 1),
        new("explanation", "Explains the likely diagnosis or what is going on in plain words.", "CCG explanation and planning", 1),
        new("check_understanding", "Checks that the patient understood (including teach-back).", "CCG explanation; AHRQ teach-back", 1),
        new("shared_decision", "Offers options, asks the patient's preference or agreement.", "CCG shared decision making; Four Habits", 1),
        new("safety_net", "Says which warning signs should make the patient seek help, and when and where.", "CCG closing", 1),
        new("questions_invited", "Invites the patient's questions or asks if there is anything else.", "SEGUE 18 and 24; Kalamazoo B", 1),
        new("follow_up", "States a concrete next step: a test, prescription, referral or review.", "SEGUE 25; Kalamazoo G", 1),
    ];

    public static readonly IReadOnlySet<string> Codes = Items.Select(i => i.Code).ToHashSet(StringComparer.Ordinal);
}

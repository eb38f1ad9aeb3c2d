using System.Globalization;
using System.Text.Json;

namespace PracticePlatform.Ai.Patient;

/// <summary>
/// The ai service's own, lenient view of a scenario document (schema practiceplatform.scenario/v1): only the parts the
/// simulated patient needs. Unknown members are ignored and missing or mistyped ones get empty defaults, so a newer
/// document version still plays. Nothing of the <see cref="JsonElement"/> is kept: the document may be disposed after
/// <see cref="Parse"/>.
/// </summary>
public sealed record PatientScenario
{
    public string Slug { get; init; } = string.Empty;

    public string Title { get; init; } = string.Empty;

    /// <summary>Where the conversation takes place, e.g. "GP surgery".</summary>
    public string Setting { get; init; } = string.Empty;

    public PatientPersona Persona { get; init; } = new();

    public PatientFlow Flow { get; init; } = new();

    /// <summary>Reads a scenario document (its root object). Member names are camelCase as in the JSON, matched
    /// case-insensitively; anything unknown is ignored.</summary>
    public static PatientScenario Parse(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return new PatientScenario();
        }

        return new PatientScenario
        {
            Slug = Str(document, "slug"),
            Title = Str(document, "title"),
            Setting = Str(document, "setting"),
            Persona = ParsePersona(Member(document, "persona")),
            Flow = ParseFlow(Member(document, "flow")),
        };
    }

    private static PatientPersona ParsePersona(JsonElement persona)
    {
        if (persona.ValueKind != JsonValueKind.Object)
        {
            return new PatientPersona();
        }

        var emotional = Member(persona, "emotionalState");
        return new PatientPersona
        {
            Name = Str(persona, "name"),
            Age = Int(persona, "age"),
            Gender = Str(persona, "gender"),
            Occupation = Str(persona, "occupation"),
            Background = Str(persona, "background"),
            PresentingComplaint = Str(persona, "presentingComplaint"),
            History = Str(persona, "history"),
            Medications = Objects(persona, "medications", m => new PatientMedication(Str(m, "name"), Str(m, "dose"), NullableStr(m, "notes")))
                .Where(m => m.Name.Length > 0).ToList(),
            Allergies = Strings(persona, "allergies"),
            SocialHistory = Str(persona, "socialHistory"),
            FamilyHistory = Str(persona, "familyHistory"),
            Personality = Str(persona, "personality"),
            EmotionalState = new PatientEmotionalState(
                Str(emotional, "initial"),
                Objects(emotional, "changes", c => new PatientEmotionalChange(Str(c, "trigger"), Str(c, "becomes")))
                    .Where(c => c.Trigger.Length > 0 && c.Becomes.Length > 0).ToList()),
            HiddenFacts = Objects(persona, "hiddenFacts", f => new PatientHiddenFact(Str(f, "code"), Str(f, "fact"), Str(f, "disclosedWhen"), Strings(f, "triggers")))
                .Where(f => f.Code.Length > 0 && f.Fact.Length > 0).ToList(),
            Phrases = Strings(persona, "phrases"),
            PreferredLanguage = Str(persona, "preferredLanguage", "English"),
            EnglishProficiency = Str(persona, "englishProficiency", "fluent").ToLowerInvariant(),
        };
    }

    private static PatientFlow ParseFlow(JsonElement flow) => flow.ValueKind != JsonValueKind.Object
        ? new PatientFlow()
        : new PatientFlow
        {
            OpeningLine = Str(flow, "openingLine"),
            Topics = Objects(flow, "topics", t => new PatientFlowTopic(Str(t, "code"), Str(t, "description"), Strings(t, "examplePhrasings"))).ToList(),
            Branches = Objects(flow, "branches", b => new PatientFlowBranch(Str(b, "when"), Str(b, "patientState"), Str(b, "patientResponse")))
                .Where(b => b.When.Length > 0).ToList(),
        };

    private static JsonElement Member(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return default;
    }

    private static string Str(JsonElement element, string name, string fallback = "") => NullableStr(element, name) ?? fallback;

    private static string? NullableStr(JsonElement element, string name)
    {
        var value = Member(element, name);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()?.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static int Int(JsonElement element, string name)
    {
        var value = Member(element, name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : 0;
    }

    private static List<string> Strings(JsonElement element, string name)
    {
        var value = Member(element, name);
        var list = new List<string>();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                {
                    list.Add(item.GetString()!.Trim());
                }
            }
        }

        return list;
    }

    private static List<T> Objects<T>(JsonElement element, string name, Func<JsonElement, T> read)
    {
        var value = Member(element, name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<T>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                list.Add(read(item));
            }
        }

        return list;
    }
}

/// <summary>The simulated patient (scenario <c>persona</c>).</summary>
public sealed record PatientPersona
{
    public string Name { get; init; } = string.Empty;

    public int Age { get; init; }

    /// <summary>As the patient would describe themselves, e.g. "woman", "man".</summary>
    public string Gender { get; init; } = string.Empty;

    public string Occupation { get; init; } = string.Empty;

    public string Background { get; init; } = string.Empty;

    public string PresentingComplaint { get; init; } = string.Empty;

    /// <summary>Past medical history.</summary>
    public string History { get; init; } = string.Empty;

    public IReadOnlyList<PatientMedication> Medications { get; init; } = [];

    public IReadOnlyList<string> Allergies { get; init; } = [];

    public string SocialHistory { get; init; } = string.Empty;

    public string FamilyHistory { get; init; } = string.Empty;

    public string Personality { get; init; } = string.Empty;

    public PatientEmotionalState EmotionalState { get; init; } = new(string.Empty, []);

    /// <summary>Said only when the clinician asks about them (see <see cref="PatientHiddenFact.Triggers"/>).</summary>
    public IReadOnlyList<PatientHiddenFact> HiddenFacts { get; init; } = [];

    /// <summary>Things the patient says, in their own words.</summary>
    public IReadOnlyList<string> Phrases { get; init; } = [];

    public string PreferredLanguage { get; init; } = "English";

    /// <summary>"fluent", "good" or "limited" (lower case).</summary>
    public string EnglishProficiency { get; init; } = "fluent";
}

public sealed record PatientMedication(string Name, string Dose, string? Notes);

/// <summary>How the patient feels at the start, and what moves them.</summary>
public sealed record PatientEmotionalState(string Initial, IReadOnlyList<PatientEmotionalChange> Changes);

/// <summary>"When the learner {Trigger}, the patient becomes {Becomes}."</summary>
public sealed record PatientEmotionalChange(string Trigger, string Becomes);

/// <summary>Something the patient says only when asked: <see cref="Triggers"/> are lower-case word stems (or
/// phrases) in the clinician's question that count as asking.</summary>
public sealed record PatientHiddenFact(string Code, string Fact, string DisclosedWhen, IReadOnlyList<string> Triggers);

/// <summary>How the conversation is expected to go (scenario <c>flow</c>).</summary>
public sealed record PatientFlow
{
    /// <summary>What the patient says first, once greeted.</summary>
    public string OpeningLine { get; init; } = string.Empty;

    public IReadOnlyList<PatientFlowTopic> Topics { get; init; } = [];

    /// <summary>Moments that change the patient's state.</summary>
    public IReadOnlyList<PatientFlowBranch> Branches { get; init; } = [];
}

public sealed record PatientFlowTopic(string Code, string Description, IReadOnlyList<string> ExamplePhrasings);

/// <summary>"When the learner {When}, the patient becomes {PatientState} and says something like {PatientResponse}."</summary>
public sealed record PatientFlowBranch(string When, string PatientState, string PatientResponse);

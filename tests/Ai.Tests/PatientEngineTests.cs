using System.Text.Json;
using System.Text.RegularExpressions;
using PracticePlatform.Ai.Patient;
using PracticePlatform.Testing;

namespace PracticePlatform.Ai.Tests;

/// <summary>A seed scenario as the engine sees it, plus the raw JSON for test expectations.</summary>
public sealed class Seed
{
    private static readonly Dictionary<string, Seed> Loaded = Directory
        .GetFiles(Path.Combine(RepositoryRoot.Path, "services", "Content", "Infrastructure", "SeedLibrary"), "*.json")
        .Select(file => new Seed(file))
        .ToDictionary(s => s.Slug, StringComparer.Ordinal);

    private Seed(string file)
    {
        Slug = Path.GetFileNameWithoutExtension(file);
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        Scenario = PatientScenario.Parse(document.RootElement);
    }

    public string Slug { get; }

    public PatientScenario Scenario { get; }

    public static IEnumerable<string> Slugs => Loaded.Keys.Order(StringComparer.Ordinal);

    public static Seed Get(string slug) => Loaded[slug];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var slug in Slugs)
        {
            data.Add(slug);
        }

        return data;
    }
}

/// <summary>Drives a conversation through the engine's streaming API and checks every reply's invariants.</summary>
public sealed partial class Conversation(PatientScenario scenario, IPatientEngine? engine = null)
{
    private readonly IPatientEngine engine = engine ?? new OfflinePatientEngine();

    public List<ConversationTurn> History { get; } = [];

    public List<PatientReply> Replies { get; } = [];

    public PatientScenario Scenario { get; } = scenario;

    public static Conversation For(string slug) => new(Seed.Get(slug).Scenario);

    public async Task<PatientReply> SayAsync(string utterance)
    {
        var (deltas, reply) = await Run(engine, new PatientTurnRequest(Scenario, [.. History], utterance));
        string.Concat(deltas).Should().Be(reply.Text, "the deltas concatenate to the final text");
        deltas.Should().NotBeEmpty();
        reply.Provider.Should().Be("offline");
        AssertInRole(reply.Text);
        History.Add(new ConversationTurn(ConversationSpeaker.Clinician, utterance));
        History.Add(new ConversationTurn(ConversationSpeaker.Patient, reply.Text));
        Replies.Add(reply);
        return reply;
    }

    public static async Task<(List<string> Deltas, PatientReply Final)> Run(IPatientEngine engine, PatientTurnRequest request)
    {
        var deltas = new List<string>();
        PatientReply? final = null;
        await foreach (var chunk in engine.ReplyAsync(request, CancellationToken.None))
        {
            final.Should().BeNull("the final chunk comes last, once");
            if (chunk.Final is not null)
            {
                chunk.Delta.Should().BeNull();
                final = chunk.Final;
            }
            else
            {
                chunk.Delta.Should().NotBeNull();
                deltas.Add(chunk.Delta!);
            }
        }

        final.Should().NotBeNull();
        return (deltas, final!);
    }

    /// <summary>The patient never steps out of role.</summary>
    public static void AssertInRole(string text)
    {
        text.Should().NotBeNullOrWhiteSpace();
        AiWord().IsMatch(text).Should().BeFalse($"\"{text}\" must not mention AI");
        foreach (var word in new[] { "language model", "simulation", "scenario", "hidden", "rubric", "as a doctor", "as an assistant" })
        {
            text.Should().NotContainEquivalentOf(word);
        }
    }

    [GeneratedRegex(@"\bAI\b")]
    private static partial Regex AiWord();
}

/// <summary>Hidden facts, identity and staying in role, for every seed scenario.</summary>
public sealed class PatientEngineTests
{
    /// <summary>A generic consultation that asks about nothing in particular.</summary>
    public static readonly string[] GenericConversation =
    [
        "Hello.",
        "My name is Sam Patel and I'm one of the doctors.",
        "What brings you in today?",
        "How are you feeling?",
        "That sounds really hard, and I'm sorry you've had to deal with this.",
        "I'll explain what we're going to do: we'll check you over carefully and take things one step at a time.",
        "Thank you for talking with me. If anything gets worse, please come back straight away. Take care.",
    ];

    /// <summary>For each seed fact, a question a clinician would ask, built from one of the fact's triggers.</summary>
    public static readonly Dictionary<string, string> TriggerQuestions = new(StringComparer.Ordinal)
    {
        ["smokes_twenty_a_day"] = "Do you smoke?",
        ["father_died_young"] = "Has anyone in your family had heart problems?",
        ["cocaine_last_night"] = "We ask everyone this: do you use any recreational drugs?",
        ["exertional_pain_two_weeks"] = "Have you had anything like this before?",
        ["told_he_was_difficult"] = "Can you tell me what happened from your point of view?",
        ["feels_guilty"] = "How are you coping with all this?",
        ["mother_died_here"] = "Why is it so hard to trust us?",
        ["wants_formal_complaint"] = "What do you expect from today?",
        ["fewer_wet_nappies"] = "How many wet nappies has he had?",
        ["paracetamol_too_often"] = "How much paracetamol have you given him?",
        ["nursery_meningitis"] = "What are you most worried about?",
        ["sister_febrile_convulsion"] = "Has anyone in the family ever had a seizure?",
        ["husband_icu_death"] = "Have you had any experience of intensive care?",
        ["hidden_falls"] = "Have you had any falls lately?",
        ["wants_to_die_at_home"] = "Where would you prefer to be cared for?",
        ["afraid_burden_daughter"] = "How does your daughter Olena feel about all this?",
        ["broken_glasses"] = "Can you read the leaflet?",
        ["no_scales"] = "Do you have scales to weigh yourself?",
        ["skips_water_tablet"] = "Do you ever skip your water tablet?",
        ["drinks_lots_of_tea"] = "How much tea do you have in a day?",
        ["stopped_ramipril_cough"] = "Have you had any side effects from the tablets?",
        ["ankle_swelling"] = "Have your ankles been swelling?",
        ["only_when_headache"] = "How do you know when your blood pressure is high?",
        ["mother_stroke_fear"] = "What matters most to you about the future?",
        ["malignant_hyperthermia_family"] = "Has anyone in your family had a problem with an anaesthetic?",
        ["on_combined_pill"] = "Are you using any contraception?",
        ["school_trip"] = "When do you need to be back at work?",
        ["yellow_episode"] = "Did your eyes or skin ever go yellow?",
        ["visual_disturbance"] = "Do you see flashing lights?",
        ["stopped_aspirin"] = "Are you taking the aspirin?",
        ["upper_abdominal_pain"] = "Do you have tummy pain?",
        ["controlling_partner"] = "Do you feel safe at home?",
        ["wife_died_of_cancer"] = "Has anyone close to you had cancer, your wife perhaps?",
        ["coughed_blood"] = "Have you coughed up any blood?",
        ["granddaughter_wedding"] = "Is there anything important coming up?",
        ["wants_daughter_told"] = "Is there someone you would like us to involve?",
        ["mother_amputation"] = "Does diabetes affect anyone in your family?",
        ["metformin_kidney_belief"] = "What do you think about metformin?",
        ["recurrent_thrush"] = "Have you had any infections like thrush?",
        ["late_night_eating"] = "What does your diet look like?",
        ["partner_pregnant"] = "What's your reason for thinking about stopping now?",
        ["previous_quit_patches"] = "Have you tried to quit before?",
        ["stress_smoking"] = "When do you smoke the most?",
        ["weight_gain_worry"] = "Is there anything that worries you about giving up?",
        ["passive_then_active_ideation"] = "Have you had any thoughts of suicide?",
        ["stockpiled_paracetamol"] = "Have you made any plan?",
        ["previous_self_harm"] = "Have you ever self-harmed?",
        ["heavy_drinking"] = "How much alcohol do you drink?",
        ["protective_sister"] = "What keeps you going?",
    };

    private static readonly HashSet<string> NotDistinctive = new(StringComparer.OrdinalIgnoreCase)
    {
        "herself", "himself", "their", "there", "which", "would", "about", "after", "before", "since", "because", "these",
        "those", "other", "being", "where", "while", "could", "should", "every",
    };

    public static TheoryData<string> Seeds() => Seed.All();

    /// <summary>The fact's distinctive words (five letters or more, not in what the patient says openly anyway: the
    /// presenting complaint, opening line and phrases),
    /// compared by their first four letters so "smokes"/"smoke" and "worries"/"worry" agree.</summary>
    public static string[] Distinctive(PatientScenario scenario, PatientHiddenFact fact)
    {
        var open = Stems(scenario.Persona.PresentingComplaint + " " + scenario.Flow.OpeningLine + " " + scenario.Persona.Name + " " +
            string.Join(' ', scenario.Persona.Phrases));
        return [.. Words(fact.Fact).Where(w => w.Length >= 5 && !NotDistinctive.Contains(w)).Select(Stem).Where(s => !open.Contains(s)).Distinct()];
    }

    public static double Coverage(string reply, string[] distinctive)
    {
        if (distinctive.Length == 0)
        {
            return 0;
        }

        var stems = Stems(reply);
        return (double)distinctive.Count(stems.Contains) / distinctive.Length;
    }

    private static HashSet<string> Stems(string text) => [.. Words(text).Select(Stem)];

    private static IEnumerable<string> Words(string text) =>
        text.Split([' ', ',', '.', ';', ':', '!', '?', '(', ')', '"', '\'', '-'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant());

    private static string Stem(string word) => word.Length > 4 ? word[..4] : word;

    public static string QuestionFor(PatientHiddenFact fact) =>
        TriggerQuestions.TryGetValue(fact.Code, out var question)
            ? question
            : $"Can you tell me about {fact.Triggers.OrderByDescending(t => t.Length).First()}?";

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Every_hidden_fact_stays_hidden_in_a_generic_conversation_and_comes_out_when_asked(string slug)
    {
        var scenario = Seed.Get(slug).Scenario;
        scenario.Persona.HiddenFacts.Should().NotBeEmpty();
        foreach (var fact in scenario.Persona.HiddenFacts)
        {
            var distinctive = Distinctive(scenario, fact);
            distinctive.Length.Should().BeGreaterThanOrEqualTo(2, $"{fact.Code} needs words to recognise it by");
            var conversation = new Conversation(scenario);
            foreach (var line in GenericConversation)
            {
                var reply = await conversation.SayAsync(line);
                reply.DisclosedFacts.Should().NotContain(fact.Code, $"\"{line}\" asks about nothing ({slug})");
                Coverage(reply.Text, distinctive).Should().BeLessThan(0.34, $"\"{line}\" must not draw out {fact.Code}: \"{reply.Text}\"");
            }

            var question = QuestionFor(fact);
            var answer = await conversation.SayAsync(question);
            Coverage(answer.Text, distinctive).Should().BeGreaterThanOrEqualTo(0.6, $"\"{question}\" asks about {fact.Code}: \"{answer.Text}\"");
            answer.DisclosedFacts.Should().Contain(fact.Code);

            var after = await conversation.SayAsync("Okay, thank you for telling me.");
            after.DisclosedFacts.Should().Contain(fact.Code, "a disclosed fact stays disclosed");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task The_patient_gives_their_own_name_and_reveals_nothing_in_the_generic_conversation(string slug)
    {
        var scenario = Seed.Get(slug).Scenario;
        var conversation = new Conversation(scenario);
        (await conversation.SayAsync("Hello.")).Text.Should().Be(scenario.Flow.OpeningLine, "the opening line comes once greeted");
        var name = await conversation.SayAsync("What's your name?");
        name.Text.Should().Contain(scenario.Persona.Name);
        name.Intent.Should().Be("identity_check");
        foreach (var line in GenericConversation.Skip(1))
        {
            var reply = await conversation.SayAsync(line);
            reply.DisclosedFacts.Should().BeEmpty($"\"{line}\" asks about nothing in particular ({slug}), reply \"{reply.Text}\"");
        }

        conversation.Replies.Select(r => r.Text).Should().OnlyHaveUniqueItems("the patient does not repeat themselves in a short consultation");
    }
}

namespace PracticePlatform.Ai.Feedback;

/// <summary>One merged utterance of the consultation; <see cref="Speaker"/> is "clinician" (the learner) or "patient".</summary>
public sealed record ConsultationTurn(int Index, string Speaker, string Text)
{
    public const string Clinician = "clinician";
    public const string Patient = "patient";

    public bool IsClinician => string.Equals(Speaker, Clinician, StringComparison.OrdinalIgnoreCase);

    public bool IsPatient => string.Equals(Speaker, Patient, StringComparison.OrdinalIgnoreCase);
}

public sealed record ConsultationTranscript(string Id, IReadOnlyList<ConsultationTurn> Turns);

/// <summary>A fact the simulated patient only reveals when asked; <see cref="Triggers"/> are the words of the questions that unlock it.</summary>
public sealed record ScenarioHiddenFact(string Code, string Fact, IReadOnlyList<string> Triggers);

/// <summary>A clinical content item of the scenario, scored beside the sixteen essentials.</summary>
public sealed record ScenarioContentItem(string Code, string Description, double Weight);

/// <summary>What the scenario adds to the sixteen essentials. Both lists may be empty.</summary>
public sealed record FeedbackScenario(string Title, IReadOnlyList<ScenarioHiddenFact> HiddenFacts, IReadOnlyList<ScenarioContentItem> ContentItems)
{
    public static FeedbackScenario None { get; } = new(string.Empty, [], []);
}

public sealed record FeedbackRequest(ConsultationTranscript Transcript, FeedbackScenario Scenario);

/// <summary><see cref="Quote"/> is a verbatim substring of the text of turn <see cref="Turn"/>.</summary>
public sealed record EvidenceQuote(int Turn, string Quote);

/// <summary>The patient turn and words that offered a cue, and what could have been taken up.</summary>
public sealed record MissedOpportunity(int Turn, string Cue, string Note);

public sealed record ItemAssessment(
    string Code,
    string Title,
    string Kind,
    string Competency,
    bool Present,
    double Score,
    IReadOnlyList<EvidenceQuote> Evidence,
    MissedOpportunity? MissedOpportunity,
    string? Suggestion)
{
    public const string EssentialKind = "essential";
    public const string ContentKind = "content";
}

public sealed record FeedbackAssessment(
    IReadOnlyList<ItemAssessment> Items,
    int GlobalRating,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<string> Goals);

public sealed record FeedbackEngineInfo(string Name, string Version, string Model, string PromptVersion, string RubricVersion);

public interface IFeedbackEngine
{
    /// <summary>The engine as configured; the engine that produced a result is <see cref="FeedbackResult.ProducedBy"/>.</summary>
    FeedbackEngineInfo Info { get; }

    Task<FeedbackResult> AssessAsync(FeedbackRequest request, CancellationToken cancellationToken);
}

public sealed record FeedbackUsage(int InputTokens, int OutputTokens, TimeSpan Latency);

public sealed record FeedbackResult(FeedbackAssessment Assessment, FeedbackEngineInfo ProducedBy, FeedbackUsage? Usage);

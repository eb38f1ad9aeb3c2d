namespace PracticePlatform.Ai.Patient;

/// <summary>Who said a turn of the conversation.</summary>
public enum ConversationSpeaker { Clinician, Patient }

/// <summary>One turn of the conversation, as said.</summary>
public sealed record ConversationTurn(ConversationSpeaker Speaker, string Text);

/// <summary>
/// What the engine is asked: the scenario, the conversation so far (oldest first, not including the new utterance),
/// and the clinician's new utterance.
/// </summary>
public sealed record PatientTurnRequest(PatientScenario Scenario, IReadOnlyList<ConversationTurn> History, string Utterance);

/// <summary>
/// What a reply cost. The offline engine has no tokenizer: it counts words as tokens (input: the words of the history
/// and the utterance; output: the words of the reply).
/// </summary>
public sealed record TokenUsage(int InputTokens, int OutputTokens);

/// <summary>
/// The finished reply: the whole text, how the patient now feels, the hidden facts disclosed so far (codes, including
/// this turn), what the engine took the utterance to be (e.g. "greeting", "introduction", "identity_check",
/// "open_question", "closed_question", "ice_ideas", "ice_concerns", "ice_expectations", "empathy", "explanation",
/// "check_understanding", "invite_questions", "closing", "acknowledgement", "off_topic", "hostile", "nonsense",
/// "empty"), provider and model names, and token usage (the offline engine counts words as tokens).
/// </summary>
public sealed record PatientReply(
    string Text,
    string EmotionalState,
    IReadOnlyList<string> DisclosedFacts,
    string Intent,
    string Provider,
    string Model,
    TokenUsage Usage);

/// <summary>One piece of a streamed reply: <see cref="Delta"/> text pieces, then exactly one <see cref="Final"/> with
/// the whole reply (the deltas concatenated equal <c>Final.Text</c>).</summary>
public sealed record PatientReplyChunk(string? Delta, PatientReply? Final);

/// <summary>Plays the simulated patient: given the scenario, the conversation so far and the clinician's new
/// utterance, streams the patient's reply.</summary>
public interface IPatientEngine
{
    /// <summary>"offline" for the rule-based engine; "openai" for the model-backed one.</summary>
    string Provider { get; }

    /// <summary>Streams the reply: a few <see cref="PatientReplyChunk.Delta"/> pieces, then one
    /// <see cref="PatientReplyChunk.Final"/>.</summary>
    IAsyncEnumerable<PatientReplyChunk> ReplyAsync(PatientTurnRequest request, CancellationToken cancellationToken);
}

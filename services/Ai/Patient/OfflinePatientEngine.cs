using System.Runtime.CompilerServices;
using PracticePlatform.Ai.Patient.Offline;

namespace PracticePlatform.Ai.Patient;

/// <summary>
/// The rule-based simulated patient: no model, no network, deterministic and fast (well under a millisecond of CPU
/// for a 20-turn history).
/// </summary>
/// <remarks>
/// <para>Stateless: every call replays <see cref="PatientTurnRequest.History"/> to rebuild the patient's state (emotional
/// state, hidden facts already disclosed, branches already played, phrases already said); the same request always gives
/// the same reply. The scenario's free text is compiled once per <see cref="PatientScenario"/> instance.</para>
/// <para>What the engine recognises (see <see cref="PatientReply.Intent"/>): greetings and introductions (answered with the
/// opening line once), identity checks (the persona's name; for the date of birth, the age and "it's on the form"),
/// the open question about why they came (opening line, then the presenting complaint), history questions (symptoms,
/// past history, medications, allergies, smoking, alcohol, drugs, family, work, home, daily life) answered from the
/// persona's notes in the first person or else vaguely ("Not that I know of"), ideas/concerns/expectations (from the
/// persona's phrases), empathy, explanations, teach-back (the patient restates the last explanation), invitations
/// ("anything else?"), closing and safety-netting. Off-topic, nonsense, empty, hostile and prompt-injection input get
/// in-role answers that reveal nothing. A patient with limited English answers in short sentences and asks for
/// repetition when an utterance is long (over 25 words) or uses medical jargon, until a professional interpreter is
/// arranged. Hidden facts, emotional changes and branches: see <c>PatientMind</c> and <c>CompiledCondition</c>.</para>
/// </remarks>
public sealed class OfflinePatientEngine : IPatientEngine
{
    public const string ProviderName = "offline";

    public const string ModelName = "offline-rules-v1";

    public string Provider => ProviderName;

    /// <summary>The whole reply, computed synchronously (also what <see cref="ReplyAsync"/> streams).</summary>
    public PatientReply Reply(PatientTurnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = CompiledScenario.For(request.Scenario);
        var state = new MindState(scenario);
        var inputWords = 0;
        foreach (var turn in request.History ?? [])
        {
            var text = turn.Text ?? string.Empty;
            inputWords += Words.CountWords(text);
            if (turn.Speaker == ConversationSpeaker.Patient)
            {
                state.RecordPatient(text, scenario);
            }
            else
            {
                PatientMind.Decide(state, Utterance.Analyze(text, scenario), scenario);
            }
        }

        var utterance = Utterance.Analyze(request.Utterance ?? string.Empty, scenario);
        inputWords += Words.CountWords(request.Utterance ?? string.Empty);
        var turnsBefore = state.ClinicianTurns;
        var plan = PatientMind.Decide(state, utterance, scenario);
        state.ClinicianTurns = turnsBefore;
        var reply = ReplyWriter.Write(plan, state, utterance, scenario);

        // The offline engine has no tokenizer: it counts words as tokens.
        return new PatientReply(
            reply,
            state.Emotion,
            [.. state.Disclosed],
            plan.Intent,
            ProviderName,
            ModelName,
            new TokenUsage(inputWords, Words.CountWords(reply)));
    }

    public async IAsyncEnumerable<PatientReplyChunk> ReplyAsync(PatientTurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reply = Reply(request);
        foreach (var delta in Split(reply.Text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new PatientReplyChunk(delta, null);
        }

        yield return new PatientReplyChunk(null, reply);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>The text in groups of about four words (each group keeps its trailing space), so the pieces
    /// concatenate to the text exactly.</summary>
    internal static IEnumerable<string> Split(string text)
    {
        const int WordsPerDelta = 4;
        var start = 0;
        var words = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ' && (i + 1 == text.Length || text[i + 1] != ' '))
            {
                words++;
                if (words == WordsPerDelta)
                {
                    yield return text[start..(i + 1)];
                    start = i + 1;
                    words = 0;
                }
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace PracticePlatform.Ai.Patient.OpenAi;

/// <summary>
/// The model-backed simulated patient: any OpenAI-compatible chat completions endpoint (OpenAI, Azure OpenAI's v1 API,
/// Ollama, vLLM, LM Studio...) plays the persona from <see cref="PatientInstructions"/>, and its tokens are streamed as
/// they arrive.
/// </summary>
/// <remarks>
/// <para>Failures: if the call fails before any text arrived (connection refused, non-2xx status, the
/// <see cref="OpenAiPatientOptions.Timeout"/> deadline, or an empty reply) the exception propagates so that
/// <see cref="FallbackPatientEngine"/> can let the offline engine answer instead. If it fails once text has been
/// streamed, the text cannot be taken back: the reply ends there, <c>Final.Text</c> is exactly what was streamed and
/// nothing is invented to complete it (a warning is logged and the usage is estimated).</para>
/// <para>The rest of the reply: <c>EmotionalState</c> is derived as the offline engine derives it (replaying the
/// clinician's turns against the persona's emotional changes); <c>DisclosedFacts</c> is a word heuristic over the
/// patient's turns and this reply (see <see cref="DisclosureDetector"/>); <c>Intent</c> is <c>"llm"</c>;
/// <c>Model</c> is the model the endpoint reported (else the configured one); <c>Usage</c> is the endpoint's own count
/// (asked for with <c>stream_options.include_usage</c>, which the library sets on every streaming call) or, when the
/// endpoint sends none, an estimate of four characters per token.</para>
/// </remarks>
public sealed partial class OpenAiPatientEngine : IPatientEngine
{
    public const string ProviderName = "openai";

    public const string IntentName = "llm";

    /// <summary>The version of the patient instructions (see <see cref="PatientInstructions"/>).</summary>
    public const string PromptVersion = PatientInstructions.PromptVersion;

    /// <summary>Sent when no API key is configured (local endpoints ignore it; the library requires one).</summary>
    private const string NoApiKey = "no-api-key";

    private static readonly ConditionalWeakTable<PatientScenario, DisclosureDetector> Detectors = new();

    private readonly ChatClient _chat;
    private readonly OpenAiPatientOptions _options;
    private readonly OfflinePatientEngine _offline;
    private readonly ILogger<OpenAiPatientEngine> _logger;

    public OpenAiPatientEngine(IOptions<OpenAiPatientOptions> options, OfflinePatientEngine offline, ILogger<OpenAiPatientEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _offline = offline;
        _logger = logger;
        if (!_options.IsConfigured || !Uri.TryCreate(_options.Endpoint, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException($"{OpenAiPatientOptions.SectionName}:Endpoint must be an absolute URL and {OpenAiPatientOptions.SectionName}:Model set.");
        }

        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,

            // One attempt: a retry would only delay the offline answer the learner is waiting for.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = _options.Timeout,
        };
        var key = string.IsNullOrWhiteSpace(_options.ApiKey) ? NoApiKey : _options.ApiKey;
        _chat = new ChatClient(_options.Model, new ApiKeyCredential(key), clientOptions);
    }

    public string Provider => ProviderName;

    public async IAsyncEnumerable<PatientReplyChunk> ReplyAsync(PatientTurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var history = request.History ?? [];

        // How the patient feels after this utterance, as the offline engine would have it.
        var emotion = _offline.Reply(request).EmotionalState;
        var messages = Messages(request, emotion);
        var options = new ChatCompletionOptions
        {
            Temperature = _options.Temperature,
            MaxOutputTokenCount = _options.MaxOutputTokens,
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);

        var text = new StringBuilder();
        string? model = null;
        ChatTokenUsage? usage = null;
        Exception? failure = null;
        var updates = _chat.CompleteChatStreamingAsync(messages, options, deadline.Token).GetAsyncEnumerator(deadline.Token);
        try
        {
            while (true)
            {
                string? delta = null;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    var update = updates.Current;
                    model ??= string.IsNullOrEmpty(update.Model) ? null : update.Model;
                    usage = update.Usage ?? usage;
                    delta = string.Concat(update.ContentUpdate.Select(p => p.Text));
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    var cause = exception is OperationCanceledException
                        ? new TimeoutException($"The patient model did not finish within {_options.Timeout.TotalSeconds:0.#} s.", exception)
                        : exception;
                    if (text.Length == 0)
                    {
                        throw cause is TimeoutException ? cause : new PatientEngineException($"The patient model call failed: {cause.Message}", cause);
                    }

                    failure = cause;
                    break;
                }

                if (!string.IsNullOrEmpty(delta))
                {
                    text.Append(delta);
                    yield return new PatientReplyChunk(delta, null);
                }
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }

        if (text.Length == 0)
        {
            throw new PatientEngineException("The patient model returned an empty reply.");
        }

        if (failure is not null)
        {
            LogCutShort(_logger, text.Length, failure);
            usage = null;
        }

        var reply = text.ToString();
        var detector = Detectors.GetValue(request.Scenario, s => new DisclosureDetector(s));
        var disclosed = detector.Disclosed(history.Where(t => t.Speaker == ConversationSpeaker.Patient).Select(t => t.Text).Append(reply));
        var tokens = usage is not null
            ? new TokenUsage(usage.InputTokenCount, usage.OutputTokenCount)
            : new TokenUsage(EstimateTokens(messages.Sum(m => m.Content.Sum(p => p.Text?.Length ?? 0))), EstimateTokens(reply.Length));
        yield return new PatientReplyChunk(null, new PatientReply(
            reply,
            emotion,
            disclosed,
            IntentName,
            ProviderName,
            model ?? _options.Model!,
            tokens));
    }

    /// <summary>The instructions, the history as clinician (user) and patient (assistant) turns in order, and the
    /// utterance last.</summary>
    internal static List<ChatMessage> Messages(PatientTurnRequest request, string emotion)
    {
        var messages = new List<ChatMessage> { new SystemChatMessage(PatientInstructions.Build(request.Scenario, emotion)) };
        foreach (var turn in request.History ?? [])
        {
            if (string.IsNullOrWhiteSpace(turn.Text))
            {
                continue;
            }

            messages.Add(turn.Speaker == ConversationSpeaker.Patient ? new AssistantChatMessage(turn.Text) : new UserChatMessage(turn.Text));
        }

        messages.Add(new UserChatMessage(string.IsNullOrWhiteSpace(request.Utterance) ? "(silence)" : request.Utterance));
        return messages;
    }

    /// <summary>About four characters per token (English text with common tokenizers).</summary>
    private static int EstimateTokens(int characters) => (characters + 3) / 4;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The patient model failed after {Characters} characters of its reply; the reply ends there")]
    private static partial void LogCutShort(ILogger logger, int characters, Exception exception);
}

/// <summary>The model-backed engine could not produce a reply (before any text was streamed).</summary>
public sealed class PatientEngineException : Exception
{
    public PatientEngineException()
    {
    }

    public PatientEngineException(string message)
        : base(message)
    {
    }

    public PatientEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;
using OpenAI.Chat;
using PracticePlatform.Ai.Feedback.Offline;

namespace PracticePlatform.Ai.Feedback.OpenAi;

/// <summary>
/// The model-backed feedback engine: any OpenAI-compatible chat completions endpoint scores the transcript against the
/// rubric and answers in JSON with the same contract as the offline engine. The answer is validated
/// (<see cref="ModelAssessmentReader"/>); on any failure (HTTP error, timeout, a reply that is not the contract) the
/// offline engine's assessment is returned and <see cref="FeedbackResult.ProducedBy"/> says so.
/// </summary>
public sealed class OpenAiFeedbackEngine : IFeedbackEngine
{
    public const string EngineName = "openai";
    public const string EngineVersion = "openai-feedback/1";
    public const string PromptVersion = FeedbackPrompt.Version;

    /// <summary>Sent when no API key is configured (local endpoints ignore it; the library requires one).</summary>
    private const string NoApiKey = "no-api-key";

    private static readonly Action<ILogger, string, Exception?> LogFallback = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(1, "FeedbackModelFailed"), "The feedback model failed ({Reason}); the offline engine's assessment is used");

    private readonly ChatClient _chat;
    private readonly OpenAiFeedbackOptions _options;
    private readonly OfflineFeedbackEngine _offline;
    private readonly ILogger _logger;

    public OpenAiFeedbackEngine(OpenAiFeedbackOptions options, OfflineFeedbackEngine offline, ILogger<OpenAiFeedbackEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(offline);
        if (!options.IsConfigured)
        {
            throw new ArgumentException($"{OpenAiFeedbackOptions.SectionName}:Endpoint must be an absolute URL and {OpenAiFeedbackOptions.SectionName}:Model set.", nameof(options));
        }

        _options = options;
        _offline = offline;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(options.Endpoint!),

            // One attempt: the offline assessment is a better answer than a long wait.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.Timeout,
        };
        _chat = new ChatClient(options.Model, new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? NoApiKey : options.ApiKey), clientOptions);
        Info = new FeedbackEngineInfo(EngineName, EngineVersion, options.Model!, PromptVersion, ConsultationRubric.Version);
    }

    public FeedbackEngineInfo Info { get; }

    public async Task<FeedbackResult> AssessAsync(FeedbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = request.Scenario ?? FeedbackScenario.None;
        var offline = OfflineFeedbackEngine.Assess(request with { Scenario = scenario });

        List<ChatMessage> messages =
        [
            new SystemChatMessage(FeedbackPrompt.Instructions(scenario)),
            new UserChatMessage(FeedbackPrompt.Transcript(request.Transcript)),
        ];
        var completionOptions = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(),
            Temperature = 0,
            MaxOutputTokenCount = _options.MaxOutputTokens,
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            var completion = (await _chat.CompleteChatAsync(messages, completionOptions, deadline.Token).ConfigureAwait(false)).Value;
            var text = string.Concat(completion.Content.Select(p => p.Text));
            var assessment = ModelAssessmentReader.Read(text, request.Transcript, scenario, offline);
            var usage = new FeedbackUsage(completion.Usage?.InputTokenCount ?? 0, completion.Usage?.OutputTokenCount ?? 0, clock.Elapsed);
            var producedBy = string.IsNullOrEmpty(completion.Model) ? Info : Info with { Model = completion.Model };
            return new FeedbackResult(assessment, producedBy, usage);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFallback(_logger, ex is OperationCanceledException ? $"no answer within {_options.Timeout.TotalSeconds:0.#} s" : ex.Message, ex);
            return new FeedbackResult(offline, _offline.Info, null);
        }
    }
}

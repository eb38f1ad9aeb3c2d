using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace PracticePlatform.Ai.Patient.OpenAi;

/// <summary>
/// Answers with <paramref name="primary"/>, or with <paramref name="fallback"/> when the primary fails before it
/// streamed any text (a warning is logged; the reply's <c>Provider</c> is then the fallback's, e.g. "offline").
/// </summary>
/// <remarks>
/// Once the primary has streamed text, that text is the learner's: the fallback cannot take over without contradicting
/// it. A primary must therefore finish a reply it cut short itself (as <see cref="OpenAiPatientEngine"/> does, with
/// the text so far); a primary that throws after text anyway ends the stream with its exception. The caller's own
/// cancellation is never answered by the fallback.
/// </remarks>
public sealed partial class FallbackPatientEngine(IPatientEngine primary, IPatientEngine fallback, ILogger<FallbackPatientEngine> logger) : IPatientEngine
{
    /// <summary>The primary's: the provider that answers when all goes well.</summary>
    public string Provider => primary.Provider;

    public async IAsyncEnumerable<PatientReplyChunk> ReplyAsync(PatientTurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunks = primary.ReplyAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var streamed = false;
        var failedOver = false;
        try
        {
            while (true)
            {
                PatientReplyChunk chunk;
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    chunk = chunks.Current;
                }
                catch (Exception exception) when (!streamed && !cancellationToken.IsCancellationRequested)
                {
                    LogFailedOver(logger, primary.Provider, fallback.Provider, exception);
                    failedOver = true;
                    break;
                }

                streamed |= !string.IsNullOrEmpty(chunk.Delta) || chunk.Final is not null;
                yield return chunk;
                if (chunk.Final is not null)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
        }

        if (!failedOver)
        {
            if (streamed)
            {
                throw new InvalidOperationException($"The {primary.Provider} patient engine ended without a final reply.");
            }

            LogFailedOver(logger, primary.Provider, fallback.Provider, new InvalidOperationException($"The {primary.Provider} patient engine ended without a reply."));
        }

        await foreach (var chunk in fallback.ReplyAsync(request, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Primary} patient engine failed before replying; the {Fallback} engine answers instead")]
    private static partial void LogFailedOver(ILogger logger, string primary, string fallback, Exception exception);
}

using System.Diagnostics.Metrics;
using PracticePlatform.Realtime.Model;

namespace PracticePlatform.Realtime.Conversations;

/// <summary>An utterance stored under <see cref="Seq"/> whose reply is to be stored under <see cref="ReplySeq"/>.</summary>
public sealed record ReplyJob(ConversationContext Context, Guid Origin, string Utterance, long Seq, long ReplySeq);

/// <summary>
/// Produces the patient's reply to one utterance: asks ai with the conversation so far, streams each piece to the
/// connection that asked and, through the hub, to every other connection of the session, stores the whole reply,
/// then sends <c>patient.done</c>. It runs until the server stops, whatever happens to the connection.
/// </summary>
public sealed partial class PatientReplies(
    IServiceScopeFactory scopes,
    ConversationStore store,
    ConversationHub hub,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<PatientReplies> logger)
{
    private readonly Histogram<double> _latency = meterFactory.Create("PracticePlatform.Realtime")
        .CreateHistogram<double>("realtime.patient.reply.duration", "ms", "From a stored utterance to its stored reply.");

    public Task ProduceAsync(ReplyJob job, Action<ServerFrame> direct) =>
        Task.Run(() => RunAsync(job, direct), CancellationToken.None);

    private async Task RunAsync(ReplyJob job, Action<ServerFrame> direct)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stopping = lifetime.ApplicationStopping;
        var sessionId = job.Context.SessionId;
        var started = time.GetTimestamp();
        try
        {
            var history = (await store.ReadBetweenAsync(sessionId, 0, job.Seq, stopping))
                .Select(m => new PatientHistoryTurn(m.Speaker == Speaker.Learner ? "clinician" : "patient", m.Text))
                .ToList();
            var call = new PatientReplyCall(sessionId, job.Context.ScenarioId, job.Context.ScenarioVersion, history, job.Utterance);

            await using var scope = scopes.CreateAsyncScope();
            var patient = scope.ServiceProvider.GetRequiredService<PatientClient>();

            // Publishes go out in order on one pipelined connection, so they are awaited together at the end. The
            // reply is stored and announced as soon as its done line arrives; the stream is then read to its end.
            var published = new List<Task>();
            var answered = false;
            await foreach (var line in patient.ReplyAsync(call, job.Context.Authorization, stopping))
            {
                if (line.Type != "done")
                {
                    var delta = ServerFrame.DeltaOf(job.ReplySeq, line.Text);
                    direct(delta);
                    published.Add(hub.PublishAsync(sessionId, job.Origin, delta, stopping));
                    continue;
                }

                await store.StoreReplyAsync(sessionId, job.ReplySeq, line.Text, stopping);
                _latency.Record(time.GetElapsedTime(started).TotalMilliseconds);
                var done = ServerFrame.DoneOf(job.ReplySeq, line.Text);
                direct(done);
                published.Add(hub.PublishAsync(sessionId, job.Origin, done, stopping));
                answered = true;
            }

            await Task.WhenAll(published);
            if (!answered)
            {
                throw new HttpRequestException("ai's reply stream ended without a reply.");
            }
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested && ex is HttpRequestException or System.Text.Json.JsonException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException or OperationCanceledException)
        {
            LogReplyFailed(logger, ex, sessionId, job.Seq);
            var error = ServerFrame.ErrorOf(ConversationErrors.PatientUnavailable, "The patient could not answer just now; say it again in a moment.");
            direct(error);
            await hub.PublishAsync(sessionId, job.Origin, error, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: no patient reply to utterance {Seq}")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, Guid sessionId, long seq);
}

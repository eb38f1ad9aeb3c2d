using System.Buffers;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PracticePlatform.Realtime.Model;
using PracticePlatform.Redis;

namespace PracticePlatform.Realtime.Conversations;

/// <summary>Who is talking in which session, as checked when the WebSocket was opened.</summary>
public sealed record ConversationContext(Guid SessionId, Guid ScenarioId, int ScenarioVersion, AuthenticationHeaderValue Authorization, DateTimeOffset? TokenExpires);

/// <summary>
/// One open WebSocket of a session. It replays what the client missed, then reads utterances one at a time: each is
/// stored (and acknowledged only once stored), then the patient's reply is produced and streamed. The reply does not
/// depend on this socket: if the client drops mid-reply, the reply still completes, is stored, and reaches the
/// client's next connection (replayed, or live through the hub). Everything sent goes through one queue and one
/// writer, because a WebSocket takes one send at a time. A broken rule gets an error frame, not a closed socket.
/// </summary>
public sealed partial class ConversationConnection(
    ConversationStore store,
    ConversationHub hub,
    PatientReplies replies,
    RedisClient redis,
    IOptions<ConversationOptions> options,
    TimeProvider time,
    ILogger<ConversationConnection> logger)
{
    private readonly Guid _id = Guid.CreateVersion7();
    private readonly Channel<ServerFrame> _outbox = Channel.CreateUnbounded<ServerFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private List<ServerFrame>? _heldDuringReplay = [];
    private long _delivered;
    private DateTimeOffset _activityReported = DateTimeOffset.MinValue;

    private ConversationOptions Options => options.Value;

    public async Task RunAsync(WebSocket socket, ConversationContext context, long? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(context);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteAsync(socket, stop.Token);

        // Subscribe first, then replay: whatever happens in between is held and sent after the replay, minus what the
        // replay already contained.
        await using (await hub.SubscribeAsync(context.SessionId, OnHubFrameAsync, cancellationToken))
        {
            await ReplayAsync(context.SessionId, after, cancellationToken);
            try
            {
                await ReceiveAsync(socket, context, stop.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The client went away (or the server is stopping); a reply under way finishes without us.
            }
        }

        _outbox.Writer.TryComplete();
        await stop.CancelAsync();
        await writer;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }
    }

    /// <summary>Sends a frame to this connection (dropped once it is closing).</summary>
    public void Send(ServerFrame frame)
    {
        lock (_gate)
        {
            if (IsStoredFrame(frame) && frame.Seq is { } seq)
            {
                if (seq <= _delivered)
                {
                    return;
                }

                _delivered = seq;
            }
        }

        _outbox.Writer.TryWrite(frame);
    }

    private ValueTask OnHubFrameAsync(HubEnvelope envelope)
    {
        if (envelope.Origin == _id)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (_heldDuringReplay is not null)
            {
                _heldDuringReplay.Add(envelope.Frame);
                return ValueTask.CompletedTask;
            }
        }

        if (envelope.Frame.Type == ConversationProtocol.PatientDelta && envelope.Frame.Seq <= Volatile.Read(ref _delivered))
        {
            return ValueTask.CompletedTask;
        }

        Send(envelope.Frame);
        return ValueTask.CompletedTask;
    }

    private async Task ReplayAsync(Guid sessionId, long? after, CancellationToken cancellationToken)
    {
        if (after is { } from)
        {
            foreach (var message in await store.ReadAfterAsync(sessionId, Math.Max(0, from), cancellationToken))
            {
                Send(ServerFrame.MessageOf(message.Seq, message.Speaker == Speaker.Learner ? "learner" : "patient", message.Text));
            }
        }

        List<ServerFrame> held;
        lock (_gate)
        {
            held = _heldDuringReplay!;
            _heldDuringReplay = null;
        }

        foreach (var frame in held)
        {
            if (frame.Type != ConversationProtocol.PatientDelta || frame.Seq > Volatile.Read(ref _delivered))
            {
                Send(frame);
            }
        }
    }

    private async Task ReceiveAsync(WebSocket socket, ConversationContext context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Options.MaxFrameBytes + 1);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(Options.IdleTimeout);
                int length;
                try
                {
                    (length, var closed) = await ReadFrameAsync(socket, buffer, idle.Token);
                    if (closed)
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Send(ServerFrame.ErrorOf(ConversationErrors.IdleTimeout, $"Nothing was said for {Options.IdleTimeout.TotalMinutes:0} minutes; the connection is closed. Reconnect to go on."));
                    return;
                }

                if (length > Options.MaxFrameBytes)
                {
                    Send(ServerFrame.ErrorOf(ConversationErrors.MessageTooLarge, $"A message is at most {Options.MaxFrameBytes} bytes."));
                    continue;
                }

                await HandleFrameAsync(buffer.AsMemory(0, length), context, cancellationToken);
                if (context.TokenExpires is { } expires && expires <= time.GetUtcNow())
                {
                    Send(ServerFrame.ErrorOf(ConversationErrors.TokenExpired, "Your access token has expired: refresh it and reconnect with the last seq you saw."));
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one whole text message; a message longer than the buffer is read to its end and reported by a
    /// length beyond the limit.</summary>
    private static async Task<(int Length, bool Closed)> ReadFrameAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        var overflow = false;
        while (true)
        {
            var segment = overflow ? new ArraySegment<byte>(buffer, 0, buffer.Length) : new ArraySegment<byte>(buffer, length, buffer.Length - length);
            var result = await socket.ReceiveAsync(segment, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (0, true);
            }

            if (!overflow)
            {
                length += result.Count;
                overflow = length >= buffer.Length;
            }

            if (result.EndOfMessage)
            {
                return (overflow ? buffer.Length : length, false);
            }
        }
    }

    private async Task HandleFrameAsync(ReadOnlyMemory<byte> json, ConversationContext context, CancellationToken cancellationToken)
    {
        ClientFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize<ClientFrame>(json.Span, ConversationProtocol.Json);
        }
        catch (JsonException)
        {
            Send(ServerFrame.ErrorOf(ConversationErrors.InvalidMessage, "A message is a JSON object such as {\"type\":\"utterance\",\"clientMessageId\":\"<uuid>\",\"text\":\"...\"}."));
            return;
        }

        if (frame?.Type != ConversationProtocol.Utterance)
        {
            Send(ServerFrame.ErrorOf(ConversationErrors.UnknownType, $"Unknown message type '{frame?.Type}': the client sends \"utterance\"."));
            return;
        }

        if (!Guid.TryParse(frame.ClientMessageId, out var clientMessageId) || clientMessageId == Guid.Empty)
        {
            Send(ServerFrame.ErrorOf(ConversationErrors.InvalidMessage, "clientMessageId is a UUID the client makes up for each utterance (and sends again when it resends it)."));
            return;
        }

        var text = frame.Text?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            Send(ServerFrame.ErrorOf(ConversationErrors.EmptyUtterance, "Say something: the utterance is empty."));
            return;
        }

        if (text.Length > Options.MaxUtteranceLength)
        {
            Send(ServerFrame.ErrorOf(ConversationErrors.UtteranceTooLong, $"An utterance is at most {Options.MaxUtteranceLength} characters."));
            return;
        }

        if (!await WithinRateAsync(context.SessionId, cancellationToken))
        {
            Send(ServerFrame.ErrorOf(ConversationErrors.RateLimited, $"At most {Options.MaxUtterancesPerMinute} utterances a minute: wait a moment and send it again."));
            return;
        }

        var appended = await store.AppendUtteranceAsync(context.SessionId, clientMessageId, text, cancellationToken);
        switch (appended.Outcome)
        {
            case AppendOutcome.Closed:
                Send(ServerFrame.ErrorOf(ConversationErrors.SessionEnded, "This practice session has ended; nothing more is recorded."));
                return;
            case AppendOutcome.Duplicate:
                // Already stored (and answered, or being answered): the client learns the number again, nothing else.
                _outbox.Writer.TryWrite(ServerFrame.AckOf(clientMessageId.ToString(), appended.Seq));
                return;
        }

        lock (_gate)
        {
            _delivered = Math.Max(_delivered, appended.Seq);
        }

        _outbox.Writer.TryWrite(ServerFrame.AckOf(clientMessageId.ToString(), appended.Seq));
        await hub.PublishAsync(context.SessionId, _id, ServerFrame.MessageOf(appended.Seq, "learner", text), cancellationToken);
        LogStored(logger, context.SessionId, appended.Seq);
        await ReportActivityAsync(context.SessionId, appended.Seq, cancellationToken);

        // The reply runs on the server's lifetime, not this socket's: awaiting it keeps one reply at a time per
        // connection, and if the client drops meanwhile the reply still completes and is stored.
        await replies.ProduceAsync(new ReplyJob(context, _id, text, appended.Seq, appended.ReplySeq), Send);
    }

    /// <summary>Sessions hears the learner is active at most once per interval (this connection checks its own clock
    /// first, Redis settles it between connections and replicas). Only a heartbeat: a failure is logged, not fatal.</summary>
    private async Task ReportActivityAsync(Guid sessionId, long seq, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _activityReported < Options.ActivityReportInterval)
        {
            return;
        }

        _activityReported = now;
        try
        {
            await store.ReportActivityAsync(sessionId, seq, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or Microsoft.EntityFrameworkCore.DbUpdateException or Npgsql.NpgsqlException)
        {
            LogActivityNotReported(logger, ex, sessionId);
        }
    }

    private async Task<bool> WithinRateAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var key = $"realtime:rate:{sessionId:N}:{minute}";
        try
        {
            var count = await redis.IncrementAsync(key, cancellationToken: cancellationToken);
            if (count == 1)
            {
                await redis.ExpireAsync(key, TimeSpan.FromMinutes(2), cancellationToken);
            }

            return count <= Options.MaxUtterancesPerMinute;
        }
        catch (RedisException ex)
        {
            LogRateUnavailable(logger, ex);
            return true;
        }
    }

    private async Task WriteAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(CancellationToken.None))
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, ConversationProtocol.Json);
                if (socket.State != WebSocketState.Open)
                {
                    continue;
                }

                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client is gone; the frames left are in the store for its next connection.
        }
    }

    private static bool IsStoredFrame(ServerFrame frame) =>
        frame.Type is ConversationProtocol.Message or ConversationProtocol.PatientDone;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: the conversation's activity could not be reported")]
    private static partial void LogActivityNotReported(ILogger logger, Exception exception, Guid sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: utterance stored as {Seq}")]
    private static partial void LogStored(ILogger logger, Guid sessionId, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The utterance rate limit could not be checked in Redis; allowing the utterance")]
    private static partial void LogRateUnavailable(ILogger logger, Exception exception);
}

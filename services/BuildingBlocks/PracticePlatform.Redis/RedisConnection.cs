using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis;

/// <summary>
/// One connection to one Redis endpoint, shared by every caller: commands are written in order and their replies
/// matched first-in first-out, so many commands are in flight at once (pipelining). It speaks RESP3, so pub/sub
/// messages arrive as push messages on the same connection. When the connection drops, commands in flight fail
/// with <see cref="RedisConnectionException"/> (they may or may not have run) and the connection is re-established
/// in the background with exponential back-off; new commands wait for it, up to their timeout.
/// Blocking commands (XREADGROUP BLOCK) belong on a connection of their own.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    public const string ActivitySourceName = "PracticePlatform.Redis";
    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private Link? _link;
    private int _failedAttempts;
    private long _nextAttemptTimestamp;
    private bool _everConnected;

    public RedisConnection(RedisOptions options, ILogger<RedisConnection>? logger = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger<RedisConnection>.Instance;
    }

    public RedisOptions Options { get; }

    public bool IsConnected => _link is { IsFaulted: false };

    /// <summary>Push messages (pub/sub deliveries) in arrival order, on the connection's read loop: keep it quick.</summary>
    public event Action<RespValue>? PushReceived;

    /// <summary>Raised after the connection came back from a drop, for re-subscribing.</summary>
    public event Func<CancellationToken, Task>? Reconnected;

    /// <summary>Sends <paramref name="command"/> and returns its reply; a server error is thrown as
    /// <see cref="RedisServerException"/>.</summary>
    public async Task<RespValue> ExecuteAsync(RedisCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = Source.StartActivity(command.Name, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.operation.name", command.Name);
            activity.SetTag("server.address", Options.Host);
            activity.SetTag("server.port", Options.Port);
        }

        var limit = command.Timeout ?? Options.CommandTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        timeoutSource.CancelAfter(limit);
        try
        {
            var link = await EnsureConnectedAsync(timeoutSource.Token);
            var reply = await SendAsync(link, command, timeoutSource.Token);
            if (reply.IsError)
            {
                throw new RedisServerException(command.Name, reply.ErrorMessage);
            }

            return reply;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);

            throw new RedisTimeoutException(
                $"Redis {command.Name} to {Options} got no reply within {limit.TotalMilliseconds:F0} ms" +
                (IsConnected ? "." : " (not connected: the server is unreachable)."));
        }
        catch (Exception ex) when (ex is RedisException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", ex.GetType().Name);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        if (_link is { } link)
        {
            await FaultAsync(link, new RedisConnectionException($"The connection to {Options} was closed."), reconnect: false);
        }

        _disposed.Dispose();
    }

    private async Task<RespValue> SendAsync(Link link, RedisCommand command, CancellationToken cancellationToken)
    {
        var pending = new PendingReply(command.ConfirmedByPush);
        var buffer = new ArrayBufferWriter<byte>(64);
        RespWriter.WriteCommand(buffer, command.Arguments);

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (link.IsFaulted)
            {
                throw new RedisConnectionException($"The connection to {Options} dropped before {command.Name} was sent.");
            }

            // Queue first, then write, under one lock: replies come back in the order commands were written.
            link.Pending.Enqueue(pending);
            await link.Stream.WriteAsync(buffer.WrittenMemory, CancellationToken.None);
            await link.Stream.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            var failure = new RedisConnectionException($"Writing {command.Name} to {Options} failed: {ex.Message}", ex);
            await FaultAsync(link, failure, reconnect: true);
            throw failure;
        }
        finally
        {
            _writeLock.Release();
        }

        return await pending.Task.WaitAsync(cancellationToken);
    }

    private async ValueTask<Link> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_link is { IsFaulted: false } current)
        {
            return current;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            RedisException? lastFailure = null;
            while (true)
            {
                if (_link is { IsFaulted: false } established)
                {
                    return established;
                }

                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _nextAttemptTimestamp));
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, cancellationToken);
                    }
                    catch (OperationCanceledException) when (lastFailure is not null)
                    {
                        throw lastFailure;
                    }
                }

                try
                {
                    var link = await ConnectAsync(cancellationToken);
                    _link = link;
                    var reconnected = _everConnected;
                    _everConnected = true;
                    _failedAttempts = 0;
                    LogConnected(_logger, Options.ToString(), reconnected);
                    if (reconnected && Reconnected is { } handlers)
                    {
                        _ = RaiseReconnectedAsync(handlers);
                    }

                    return link;
                }
                catch (RedisServerException ex)
                {
                    // Wrong password, unknown user, or a server without RESP3: retrying will not help.
                    throw new RedisConnectionException($"Redis at {Options} refused the connection: {ex.Message}", ex);
                }
                catch (AuthenticationException ex)
                {
                    // An untrusted or misnamed certificate, or no common TLS version: retrying will not help either.
                    throw new RedisConnectionException($"The TLS handshake with Redis at {Options} failed: {ex.Message}", ex);
                }
                catch (Exception ex) when (ex is SocketException or IOException or RedisConnectionException
                                               || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    _failedAttempts++;
                    var delay = Backoff(_failedAttempts);
                    Volatile.Write(ref _nextAttemptTimestamp, Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency));
                    lastFailure = new RedisConnectionException($"Cannot connect to Redis at {Options}: {ex.Message}", ex);
                    LogConnectFailed(_logger, Options.ToString(), _failedAttempts, delay.TotalMilliseconds, ex.Message);
                }
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task<Link> ConnectAsync(CancellationToken cancellationToken)
    {
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(Options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            await socket.ConnectAsync(Options.Host, Options.Port, connectTimeout.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (Options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(TlsOptions(), connectTimeout.Token);
                stream = ssl;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var link = new Link(stream);
        _ = Task.Run(() => ReadLoopAsync(link), CancellationToken.None);
        try
        {
            var hello = new RedisCommand("HELLO").Add("3");
            if (Options.Password is not null)
            {
                hello.Add("AUTH").Add(Options.User ?? "default").Add(Options.Password);
            }

            hello.Add("SETNAME").Add(Options.ClientName ?? "practiceplatform");
            await ExpectOkOrValueAsync(link, hello, connectTimeout.Token);
            if (Options.Database != 0)
            {
                await ExpectOkOrValueAsync(link, new RedisCommand("SELECT").Add(Options.Database), connectTimeout.Token);
            }

            return link;
        }
        catch (Exception ex)
        {
            await FaultAsync(link, new RedisConnectionException($"Handshake with {Options} failed: {ex.Message}", ex), reconnect: false);
            throw;
        }
    }

    private SslClientAuthenticationOptions TlsOptions()
    {
        var tls = new SslClientAuthenticationOptions { TargetHost = Options.SslHost ?? Options.Host };
        if (Options.TrustedCertificates is { } trusted)
        {
            // Chain to these roots only; SslStream still checks the name, validity and key usage.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck, // as SslStream does by default
            };
            policy.CustomTrustStore.AddRange(trusted);
            tls.CertificateChainPolicy = policy;
        }

        return tls;
    }

    private async Task ExpectOkOrValueAsync(Link link, RedisCommand command, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(link, command, cancellationToken);
        if (reply.IsError)
        {
            throw new RedisServerException(command.Name, reply.ErrorMessage);
        }
    }

    private async Task ReadLoopAsync(Link link)
    {
        var reader = PipeReader.Create(link.Stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(link.Closing.Token);
                var buffer = result.Buffer;
                while (RespParser.TryParse(buffer, out var value, out var consumed))
                {
                    buffer = buffer.Slice(consumed);
                    Dispatch(link, value!);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    throw new RedisConnectionException($"Redis at {Options} closed the connection.");
                }
            }
        }
        catch (OperationCanceledException) when (link.Closing.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            var failure = ex as RedisConnectionException
                          ?? new RedisConnectionException($"The connection to {Options} failed: {ex.Message}", ex);
            await FaultAsync(link, failure, reconnect: !_disposed.IsCancellationRequested);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private void Dispatch(Link link, RespValue value)
    {
        if (value.Type == RespType.Push)
        {
            var kind = value.Items.Count > 0 ? value.Items[0].AsString() : null;
            if (kind is "subscribe" or "unsubscribe" or "psubscribe" or "punsubscribe" &&
                link.Pending.TryPeek(out var head) && head.ConfirmedByPush && link.Pending.TryDequeue(out var confirmed))
            {
                confirmed.TrySetResult(value);
                return;
            }

            PushReceived?.Invoke(value);
            return;
        }

        if (!link.Pending.TryDequeue(out var pending))
        {
            throw new RespProtocolException($"Redis at {Options} sent a reply nobody asked for: {value}");
        }

        pending.TrySetResult(value);
    }

    private async Task FaultAsync(Link link, RedisConnectionException failure, bool reconnect)
    {
        if (!link.TryFault())
        {
            return;
        }

        if (reconnect)
        {
            LogDropped(_logger, Options.ToString(), failure.Message);
        }

        await link.Closing.CancelAsync();
        await link.Stream.DisposeAsync();
        while (link.Pending.TryDequeue(out var pending))
        {
            pending.TrySetException(failure);
        }

        if (reconnect && !_disposed.IsCancellationRequested)
        {
            _ = ReconnectInBackgroundAsync();
        }
    }

    private async Task ReconnectInBackgroundAsync()
    {
        try
        {
            await EnsureConnectedAsync(_disposed.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (RedisException ex)
        {
            LogReconnectGaveUp(_logger, Options.ToString(), ex.Message);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task RaiseReconnectedAsync(Func<CancellationToken, Task> handlers)
    {
        foreach (var handler in handlers.GetInvocationList().Cast<Func<CancellationToken, Task>>())
        {
            try
            {
                await handler(_disposed.Token);
            }
            catch (Exception ex) when (ex is RedisException or OperationCanceledException)
            {
                LogReconnectHandlerFailed(_logger, Options.ToString(), ex.Message);
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = TimeSpan.FromMilliseconds(50 * Math.Pow(2, Math.Min(attempt - 1, 10)));
        var capped = exponential < Options.MaxReconnectDelay ? exponential : Options.MaxReconnectDelay;
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    private sealed class Link(Stream stream)
    {
        private int _faulted;

        public Stream Stream { get; } = stream;

        public ConcurrentQueue<PendingReply> Pending { get; } = new();

        public CancellationTokenSource Closing { get; } = new();

        public bool IsFaulted => Volatile.Read(ref _faulted) == 1;

        public bool TryFault() => Interlocked.Exchange(ref _faulted, 1) == 0;
    }

    private sealed class PendingReply(bool confirmedByPush) : TaskCompletionSource<RespValue>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public bool ConfirmedByPush { get; } = confirmedByPush;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to Redis at {Endpoint} (reconnection: {Reconnected})")]
    private static partial void LogConnected(ILogger logger, string endpoint, bool reconnected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to Redis at {Endpoint} (attempt {Attempt}); next try in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, int attempt, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to Redis at {Endpoint} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up reconnecting to Redis at {Endpoint}: {Reason}")]
    private static partial void LogReconnectGaveUp(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A handler for the reconnection to {Endpoint} failed: {Reason}")]
    private static partial void LogReconnectHandlerFailed(ILogger logger, string endpoint, string reason);
}

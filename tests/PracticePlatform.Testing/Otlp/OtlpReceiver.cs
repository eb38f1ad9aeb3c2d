using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace PracticePlatform.Testing.Otlp;

/// <summary>
/// An in-process OTLP trace receiver for tests. It listens on two free loopback ports: <see cref="HttpEndpoint"/>
/// speaks OTLP http/protobuf over HTTP/1.1, <see cref="GrpcEndpoint"/> speaks OTLP gRPC over cleartext HTTP/2
/// (prior knowledge). Trace exports are decoded into <see cref="Spans"/>; metric and log exports are accepted
/// and discarded.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string TracesPath = "/v1/traces";
    private const string MetricsPath = "/v1/metrics";
    private const string LogsPath = "/v1/logs";
    private const string GrpcTracesPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private const string GrpcMetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    private const string GrpcLogsPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    private const string ProtobufContentType = "application/x-protobuf";
    private const string GrpcContentType = "application/grpc";
    private const int GrpcInvalidArgument = 3;
    private const int GrpcUnimplemented = 12;

    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly List<ReceivedSpan> spans = [];
    private readonly List<string> rejections = [];
    private TaskCompletionSource changed = NewSignal();

    private OtlpReceiver(WebApplication app) => this.app = app;

    /// <summary>Base address for OTLP http/protobuf, e.g. <c>http://127.0.0.1:PORT</c>.</summary>
    /// <remarks>
    /// Use it as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the exporter appends <c>/v1/traces</c>). An endpoint set in
    /// code for http/protobuf is used as-is, so there pass <c>new Uri(HttpEndpoint, "/v1/traces")</c>.
    /// </remarks>
    public Uri HttpEndpoint { get; private set; } = null!;

    /// <summary>Address for OTLP gRPC over cleartext HTTP/2, e.g. <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri GrpcEndpoint { get; private set; } = null!;

    /// <summary>A snapshot of the spans received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (gate)
            {
                return [.. spans];
            }
        }
    }

    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(OtlpReceiver).Assembly.GetName().Name,
        });

        // Nothing from the test process's environment or appsettings (ASPNETCORE_URLS, Kestrel endpoints) applies.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();

        ListenOptions? httpListen = null, grpcListen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                httpListen = listen;
            });

            // h2c cannot be negotiated next to HTTP/1.1 without TLS, so gRPC gets its own HTTP/2-only port.
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                grpcListen = listen;
            });
        });

        var application = builder.Build();
        var receiver = new OtlpReceiver(application);
        application.Run(receiver.HandleAsync);
        try
        {
            await application.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await application.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // Kestrel writes the bound endpoint (with the chosen port) back into the listen options.
        receiver.HttpEndpoint = new Uri($"http://127.0.0.1:{httpListen!.IPEndPoint!.Port}");
        receiver.GrpcEndpoint = new Uri($"http://127.0.0.1:{grpcListen!.IPEndPoint!.Port}");
        return receiver;
    }

    /// <summary>
    /// Completes with the spans received so far once <paramref name="condition"/> holds for them; it is
    /// re-evaluated whenever spans arrive. Throws <see cref="TimeoutException"/> listing the received spans
    /// (and any rejected exports) if the condition does not hold within <paramref name="timeout"/>.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> condition,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);

        while (true)
        {
            ReceivedSpan[] snapshot;
            Task next;
            lock (gate)
            {
                snapshot = [.. spans];
                next = changed.Task;
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            try
            {
                await next.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(DescribeTimeout(timeout));
            }
        }
    }

    /// <summary>Forgets the spans received so far.</summary>
    public void Clear()
    {
        lock (gate)
        {
            spans.Clear();
            rejections.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        switch (context.Request.Path.Value)
        {
            case TracesPath:
                return HandleHttpAsync(context, isTraces: true);
            case MetricsPath or LogsPath:
                return HandleHttpAsync(context, isTraces: false);
            case GrpcTracesPath:
                return HandleGrpcAsync(context, isTraces: true);
            case GrpcMetricsPath or GrpcLogsPath:
                return HandleGrpcAsync(context, isTraces: false);
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
        }
    }

    private async Task HandleHttpAsync(HttpContext context, bool isTraces)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;

        if (request.ContentType is { } contentType
            && !contentType.StartsWith(ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            Reject($"http/protobuf export to {request.Path} with unsupported content type '{contentType}'");
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        try
        {
            var body = await ReadBodyAsync(request.Body, cancellationToken).ConfigureAwait(false);
            if (IsGzip(request.Headers.ContentEncoding.ToString()))
            {
                body = await GunzipAsync(body, cancellationToken).ConfigureAwait(false);
            }
            else if (!string.IsNullOrEmpty(request.Headers.ContentEncoding.ToString()))
            {
                throw new NotSupportedException($"Unsupported content encoding '{request.Headers.ContentEncoding}'.");
            }

            if (isTraces)
            {
                Record(OtlpTraceDecoder.DecodeExportTraceServiceRequest(body, OtlpProtocols.HttpProtobuf));
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException)
        {
            Reject($"http/protobuf export to {request.Path}: {exception.Message}");
            response.StatusCode = exception is NotSupportedException
                ? StatusCodes.Status415UnsupportedMediaType
                : StatusCodes.Status400BadRequest;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(exception.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        // An empty Export*ServiceResponse encodes to zero bytes.
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ProtobufContentType;
        response.ContentLength = 0;
    }

    private async Task HandleGrpcAsync(HttpContext context, bool isTraces)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;

        if (!response.SupportsTrailers())
        {
            Reject($"gRPC call to {request.Path} over {request.Protocol}, which cannot carry trailers");
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var status = 0;
        string? message = null;
        try
        {
            var body = await ReadBodyAsync(request.Body, cancellationToken).ConfigureAwait(false);
            var payload = await UnframeAsync(body, request.Headers["grpc-encoding"].ToString(), cancellationToken)
                .ConfigureAwait(false);
            if (isTraces)
            {
                Record(OtlpTraceDecoder.DecodeExportTraceServiceRequest(payload, OtlpProtocols.Grpc));
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException)
        {
            Reject($"gRPC export to {request.Path}: {exception.Message}");
            status = exception is NotSupportedException ? GrpcUnimplemented : GrpcInvalidArgument;
            message = exception.Message;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcContentType;
        if (status == 0)
        {
            // One uncompressed frame holding the empty Export*ServiceResponse.
            await response.Body.WriteAsync(new byte[5], cancellationToken).ConfigureAwait(false);
        }

        response.AppendTrailer("grpc-status", status.ToString(CultureInfo.InvariantCulture));
        if (message is not null)
        {
            response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
        }
    }

    /// <summary>Extracts the single message of a unary gRPC request body (5-byte prefix + message).</summary>
    private static async Task<byte[]> UnframeAsync(byte[] body, string encoding, CancellationToken cancellationToken)
    {
        if (body.Length < 5)
        {
            throw new InvalidDataException($"Truncated gRPC frame: {body.Length} bytes, the prefix alone is 5.");
        }

        var compressed = body[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (length > (uint)(body.Length - 5))
        {
            throw new InvalidDataException($"Truncated gRPC frame: declares {length} bytes, {body.Length - 5} follow.");
        }

        if (length != (uint)(body.Length - 5))
        {
            throw new InvalidDataException("Data after the gRPC message: a unary call carries exactly one.");
        }

        var payload = body[5..];
        return compressed switch
        {
            0 => payload,
            1 when IsGzip(encoding) => await GunzipAsync(payload, cancellationToken).ConfigureAwait(false),
            1 => throw new NotSupportedException($"Unsupported grpc-encoding '{encoding}'."),
            _ => throw new InvalidDataException($"Invalid gRPC compressed flag {compressed}."),
        };
    }

    private static bool IsGzip(string encoding) => string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Decompresses gzip; corrupt data surfaces as <see cref="InvalidDataException"/>.</summary>
    private static async Task<byte[]> GunzipAsync(byte[] compressed, CancellationToken cancellationToken)
    {
        using var input = new MemoryStream(compressed);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        await gzip.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        return output.ToArray();
    }

    private void Record(IReadOnlyList<ReceivedSpan> received)
    {
        if (received.Count == 0)
        {
            return;
        }

        TaskCompletionSource signal;
        lock (gate)
        {
            spans.AddRange(received);
            signal = changed;
            changed = NewSignal();
        }

        signal.TrySetResult();
    }

    private void Reject(string reason)
    {
        lock (gate)
        {
            rejections.Add(reason);
        }
    }

    private string DescribeTimeout(TimeSpan timeout)
    {
        var text = new StringBuilder();
        lock (gate)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"The span condition did not hold within {timeout}. Received {spans.Count} span(s):");
            foreach (var span in spans)
            {
                text.Append("\n  ").Append(span.ServiceName).Append(" '").Append(span.Name)
                    .Append("' trace=").Append(span.TraceId);
            }

            if (rejections.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"\nRejected {rejections.Count} export(s):");
                foreach (var rejection in rejections)
                {
                    text.Append("\n  ").Append(rejection);
                }
            }
        }

        return text.ToString();
    }
}

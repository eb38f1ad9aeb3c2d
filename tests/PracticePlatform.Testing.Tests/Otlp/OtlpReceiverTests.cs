using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PracticePlatform.Testing.Otlp;

namespace PracticePlatform.Testing.Tests.Otlp;

public sealed class OtlpReceiverTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Client = new();
    private OtlpReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public void Endpoints_are_distinct_loopback_ports()
    {
        receiver.HttpEndpoint.Host.Should().Be("127.0.0.1");
        receiver.GrpcEndpoint.Host.Should().Be("127.0.0.1");
        receiver.HttpEndpoint.Port.Should().BePositive().And.NotBe(receiver.GrpcEndpoint.Port);
    }

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf, "http/protobuf")]
    [InlineData(OtlpExportProtocol.Grpc, "grpc")]
    public async Task Receives_parent_and_child_spans_from_the_OpenTelemetry_exporter(
        OtlpExportProtocol protocol, string expectedProtocol)
    {
        using var exporterErrors = new ExporterErrorListener();
        var endpoint = protocol == OtlpExportProtocol.Grpc
            ? receiver.GrpcEndpoint
            : new Uri(receiver.HttpEndpoint, "/v1/traces");

        string traceId, parentSpanId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("svc-x"))
            .AddSource("TestSource")
            .AddOtlpExporter(o =>
            {
                o.Protocol = protocol;
                o.Endpoint = endpoint;
            })
            .Build())
        {
            using var source = new ActivitySource("TestSource");
            using (var parent = source.StartActivity("parent-op", ActivityKind.Server))
            {
                parent.Should().NotBeNull("the tracer provider listens to TestSource");
                traceId = parent!.TraceId.ToHexString();
                parentSpanId = parent.SpanId.ToHexString();
                using var child = source.StartActivity("child-op", ActivityKind.Client);
                child!.SetTag("test.attr", "hello");
                child.SetTag("test.count", 42);
            }

            provider.ForceFlush(10_000).Should().BeTrue();
        }

        var spans = await receiver.WaitForSpansAsync(s => s.Count(x => x.TraceId == traceId) >= 2, Timeout);

        var ours = spans.Where(s => s.TraceId == traceId).ToList();
        ours.Should().HaveCount(2, "each span is exported once (a rejected response would make the exporter retry)");
        var parentSpan = ours.Single(s => s.Name == "parent-op");
        var childSpan = ours.Single(s => s.Name == "child-op");
        parentSpan.SpanId.Should().Be(parentSpanId);
        parentSpan.ParentSpanId.Should().BeNull();
        parentSpan.Kind.Should().Be(2, "ActivityKind.Server is SPAN_KIND_SERVER");
        childSpan.ParentSpanId.Should().Be(parentSpan.SpanId);
        childSpan.SpanId.Should().MatchRegex("^[0-9a-f]{16}$").And.NotBe(parentSpan.SpanId);
        childSpan.TraceId.Should().MatchRegex("^[0-9a-f]{32}$");
        childSpan.Kind.Should().Be(3, "ActivityKind.Client is SPAN_KIND_CLIENT");
        childSpan.Attributes.Should().Contain("test.attr", "hello").And.Contain("test.count", "42");
        ours.Should().AllSatisfy(s =>
        {
            s.ServiceName.Should().Be("svc-x");
            s.Protocol.Should().Be(expectedProtocol);
        });
        exporterErrors.Messages.Should().BeEmpty("the exporter must accept the receiver's responses");
    }

    [Fact]
    public async Task Http_trace_export_with_malformed_protobuf_is_answered_400()
    {
        using var content = Protobuf([0x0A, 0x05, 0x01]);

        using var response = await Client.PostAsync(new Uri(receiver.HttpEndpoint, "/v1/traces"), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().StartWith("Malformed protobuf");
        receiver.Spans.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/v1/traces")]
    [InlineData("/v1/metrics")]
    [InlineData("/v1/logs")]
    public async Task Http_exports_are_answered_200_with_an_empty_protobuf_body(string path)
    {
        using var content = Protobuf([]);

        using var response = await Client.PostAsync(new Uri(receiver.HttpEndpoint, path), content);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/x-protobuf");
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("/opentelemetry.proto.collector.trace.v1.TraceService/Export")]
    [InlineData("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export")]
    [InlineData("/opentelemetry.proto.collector.logs.v1.LogsService/Export")]
    public async Task Grpc_exports_are_answered_with_an_empty_message_and_status_0(string path)
    {
        var request = OtlpTraceDecoderTests.SampleRequest();

        using var response = await GrpcPostAsync(path, Frame(request));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/grpc");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(0, 0, 0, 0, 0);
        response.TrailingHeaders.GetValues("grpc-status").Should().Equal("0");
        var expectedSpans = path.Contains("TraceService", StringComparison.Ordinal) ? 2 : 0;
        receiver.Spans.Should().HaveCount(expectedSpans);
        receiver.Spans.Where(s => s.Protocol != "grpc").Should().BeEmpty();
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 0x0A })]
    [InlineData(new byte[] { 0, 0, 0, 0, 3, 0x0A, 0x05, 0x01 })]
    [InlineData(new byte[] { 7, 0, 0, 0, 0 })]
    public async Task Grpc_trace_export_with_a_malformed_body_gets_INVALID_ARGUMENT(byte[] body)
    {
        using var response = await GrpcPostAsync(
            "/opentelemetry.proto.collector.trace.v1.TraceService/Export", body);

        await response.Content.ReadAsByteArrayAsync();
        response.TrailingHeaders.GetValues("grpc-status").Should().Equal("3");
        response.TrailingHeaders.GetValues("grpc-message").Single().Should().NotBeNullOrEmpty();
        receiver.Spans.Should().BeEmpty();
    }

    [Fact]
    public async Task WaitForSpansAsync_times_out_listing_the_spans_received_so_far()
    {
        using (var response = await GrpcPostAsync(
            "/opentelemetry.proto.collector.trace.v1.TraceService/Export", Frame(OtlpTraceDecoderTests.SampleRequest())))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var act = () => receiver.WaitForSpansAsync(s => s.Any(x => x.Name == "never"), TimeSpan.FromMilliseconds(200));

        (await act.Should().ThrowAsync<TimeoutException>())
            .WithMessage("*Received 2 span(s)*svc-x 'parent' trace=0af7651916cd43dd8448eb211c80319c*svc-x 'child'*");
    }

    [Fact]
    public async Task WaitForSpansAsync_completes_when_spans_arrive_after_it_started_waiting()
    {
        var waiting = receiver.WaitForSpansAsync(s => s.Any(x => x.Name == "child"), Timeout);
        waiting.IsCompleted.Should().BeFalse();

        using var content = Protobuf(OtlpTraceDecoderTests.SampleRequest());
        using var response = await Client.PostAsync(new Uri(receiver.HttpEndpoint, "/v1/traces"), content);

        var spans = await waiting;
        spans.Should().Contain(s => s.Name == "child" && s.Protocol == "http/protobuf");
        receiver.Clear();
        receiver.Spans.Should().BeEmpty();
    }

    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static byte[] Frame(byte[] message)
    {
        var framed = new byte[message.Length + 5];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    private async Task<HttpResponseMessage> GrpcPostAsync(string path, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(receiver.GrpcEndpoint, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return await Client.SendAsync(request);
    }

    /// <summary>Collects warnings and errors of the OTLP exporter's EventSource.</summary>
    private sealed class ExporterErrorListener : EventListener
    {
        private readonly ConcurrentQueue<string> messages = new();

        public IReadOnlyCollection<string> Messages => messages;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "OpenTelemetry-Exporter-OpenTelemetryProtocol")
            {
                EnableEvents(eventSource, EventLevel.Warning);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            var payload = eventData.Payload is null ? string.Empty : string.Join(", ", eventData.Payload);
            messages.Enqueue($"{eventData.EventName}: {payload}");
        }
    }
}

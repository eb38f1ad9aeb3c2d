using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;
using PracticePlatform.Testing.Otlp;

namespace PracticePlatform.SystemTests;

/// <summary>
/// What the Aspire dashboard shows: one request into sessions, which calls content, is one trace holding spans of
/// both services. Sessions exports over gRPC and content over http/protobuf, so both protocols are exercised.
/// </summary>
public sealed class DistributedTracingTests : IAsyncLifetime
{
    private OtlpReceiver _receiver = null!;
    private LocalPlatform _platform = null!;
    private SignedInLearner _learner = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        var serviceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["content"] = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.HttpEndpoint.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = OtlpProtocols.HttpProtobuf,
            },
            ["sessions"] = new Dictionary<string, string>
            {
                // Realtime does not run here; its address is only used to form the session's URL.
                ["services__realtime__http__0"] = "http://localhost:5104",
            },
        };

        // users issues the learner's access token and publishes the keys the other services check it with.
        _platform = await LocalPlatform.StartAsync(ThrowawayPlatform.Options("otel") with
        {
            ServiceEnvironment = serviceEnvironment,
            Services = ["users", "content", "sessions", "ai", "billing"],
            OtlpEndpoint = _receiver.GrpcEndpoint.ToString(),
        });
        _learner = await SignedInLearner.RegisterAsync(_platform);
    }

    public async Task DisposeAsync()
    {
        await _platform.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_request_that_crosses_two_services_is_one_trace_with_spans_of_both()
    {
        using var http = _learner.CreateClient();
        var scenarios = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("content"), "/v1/content/scenarios"));
        var scenarioId = scenarios.GetProperty("items")[0].GetProperty("id").GetGuid();

        var response = await http.PostAsJsonAsync(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"), new { scenarioId, mode = "text" });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        // Spans arrive in batches, in any order, and the list request above may still be on its way: wait for
        // content's server span in the very trace of sessions' POST.
        var spans = await _receiver.WaitForSpansAsync(
            all => StartSessionSpan(all) is { } start && all.Any(s => s.ServiceName == "content" && IsServer(s) && s.TraceId == start.TraceId),
            TimeSpan.FromSeconds(30));

        var root = StartSessionSpan(spans)!;
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToList();
        // users is in it only for the signing keys sessions fetches from it to check its first token; billing for
        // the learner's entitlement, which sessions asks after content.
        trace.Select(s => s.ServiceName).Distinct().Should().Contain(["sessions", "content"])
            .And.BeSubsetOf(["sessions", "content", "users", "billing"]);

        // sessions' outgoing HTTP call is the parent of content's server span: one causal chain, not two traces.
        var contentServer = trace.Single(s => s.ServiceName == "content" && IsServer(s));
        var sessionsClient = trace.Single(s => s.SpanId == contentServer.ParentSpanId);
        sessionsClient.ServiceName.Should().Be("sessions");
        sessionsClient.Kind.Should().Be(SpanKindClient);
        contentServer.Protocol.Should().Be(OtlpProtocols.HttpProtobuf);
        root.Protocol.Should().Be(OtlpProtocols.Grpc);

        // The database work content did for the request is in the same trace.
        trace.Should().Contain(s => s.ServiceName == "content" && s.Kind == SpanKindClient &&
                                    (s.Attributes.ContainsKey("db.system.name") || s.Attributes.ContainsKey("db.system")));
    }

    [Fact]
    public async Task The_handler_of_an_event_continues_the_trace_of_the_request_that_caused_it()
    {
        using var http = _learner.CreateClient();
        var scenarios = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("content"), "/v1/content/scenarios"));
        var scenarioId = scenarios.GetProperty("items")[0].GetProperty("id").GetGuid();
        var started = await http.PostAsJsonAsync(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"), new { scenarioId, mode = "text" });
        started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var sessionId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var ended = await http.PostAsync(new Uri(_platform.ServiceUrl("sessions"), $"/v1/sessions/{sessionId}/end"), null);
        ended.StatusCode.Should().Be(HttpStatusCode.OK);

        // sessions saves PracticeSessionCompleted to its outbox, the relay sends it, ai's consumer handles it.
        var spans = await _receiver.WaitForSpansAsync(
            all => EndSessionSpan(all) is { } end && all.Any(s => IsCompletedHandler(s) && s.TraceId == end.TraceId),
            TimeSpan.FromSeconds(30));
        var root = EndSessionSpan(spans)!;
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToList();
        var handler = trace.Single(IsCompletedHandler);
        handler.Attributes.GetValueOrDefault("messaging.consumer.group.name").Should().Be("ai");
        trace.Should().Contain(s => s.ServiceName == "sessions" && s.Name == "PracticeSessionCompleted send" && s.Kind == SpanKindProducer);
        trace.Should().Contain(s => s.ServiceName == "ai" && s.Kind == SpanKindClient && s.ParentSpanId == handler.SpanId,
            "the report the handler opened is written within its span");
    }

    private const int SpanKindProducer = 4;
    private const int SpanKindConsumer = 5;

    private static bool IsCompletedHandler(ReceivedSpan span) =>
        span.ServiceName == "ai" && span.Kind == SpanKindConsumer && span.Name == "PracticeSessionCompleted process";

    private static ReceivedSpan? EndSessionSpan(IReadOnlyList<ReceivedSpan> spans) =>
        spans.SingleOrDefault(s => s.ServiceName == "sessions" && IsServer(s) &&
                                   s.Attributes.GetValueOrDefault("http.route") == "/v1/sessions/{id:guid}/end");

    private const int SpanKindServer = 2;
    private const int SpanKindClient = 3;

    private static bool IsServer(ReceivedSpan span) => span.Kind == SpanKindServer;

    /// <summary>sessions' server span for POST /v1/sessions (a route group's root keeps a trailing slash in the raw
    /// route template, "/v1/sessions/").</summary>
    private static ReceivedSpan? StartSessionSpan(IReadOnlyList<ReceivedSpan> spans) =>
        spans.SingleOrDefault(s => s.ServiceName == "sessions" && IsServer(s) &&
                                   s.Attributes.GetValueOrDefault("http.request.method") == "POST" &&
                                   s.Attributes.GetValueOrDefault("http.route")?.TrimEnd('/') == "/v1/sessions");
}

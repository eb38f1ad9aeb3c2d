namespace PracticePlatform.Testing.Otlp;

/// <summary>A span as an <see cref="OtlpReceiver"/> decoded it from an OTLP trace export.</summary>
/// <param name="ServiceName">The resource attribute <c>service.name</c>; empty when the resource has none.</param>
/// <param name="TraceId">Lower-case hex (32 characters for a valid id).</param>
/// <param name="SpanId">Lower-case hex (16 characters for a valid id).</param>
/// <param name="ParentSpanId">Lower-case hex, or null for a root span.</param>
/// <param name="Name">The span name.</param>
/// <param name="Kind">The OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.</param>
/// <param name="Attributes">String, bool, int and double attributes rendered as invariant strings (bools as true/false).</param>
/// <param name="Protocol"><see cref="OtlpProtocols.Grpc"/> or <see cref="OtlpProtocols.HttpProtobuf"/>.</param>
public sealed record ReceivedSpan(
    string ServiceName,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyDictionary<string, string> Attributes,
    string Protocol)
{
    public override string ToString() =>
        $"{ServiceName} '{Name}' trace={TraceId} span={SpanId} parent={ParentSpanId ?? "-"} via {Protocol}";
}

/// <summary>The values of <see cref="ReceivedSpan.Protocol"/>.</summary>
public static class OtlpProtocols
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";
}

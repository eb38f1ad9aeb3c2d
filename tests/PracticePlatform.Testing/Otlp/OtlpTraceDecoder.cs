using System.Globalization;

namespace PracticePlatform.Testing.Otlp;

/// <summary>
/// Decodes the parts of an OTLP <c>ExportTraceServiceRequest</c> that tests look at. Unknown fields are skipped;
/// malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
public static class OtlpTraceDecoder
{
    private const string ServiceNameKey = "service.name";

    public static IReadOnlyList<ReceivedSpan> DecodeExportTraceServiceRequest(ReadOnlySpan<byte> message, string protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var spans = new List<ReceivedSpan>();
        var reader = new ProtoWireReader(message);
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == 1 && type == WireType.LengthDelimited)
            {
                ReadResourceSpans(reader.ReadLengthDelimited(), protocol, spans);
            }
            else
            {
                reader.SkipField(field, type);
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> message, string protocol, List<ReceivedSpan> spans)
    {
        // The resource may come after the scope spans on the wire, so spans are completed at the end.
        var serviceName = string.Empty;
        var partial = new List<ReceivedSpan>();
        var reader = new ProtoWireReader(message);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (1, WireType.LengthDelimited):
                    var resource = ReadAttributesOf(reader.ReadLengthDelimited(), attributesField: 1);
                    serviceName = resource.GetValueOrDefault(ServiceNameKey, serviceName);
                    break;
                case (2, WireType.LengthDelimited):
                    ReadScopeSpans(reader.ReadLengthDelimited(), protocol, partial);
                    break;
                default:
                    reader.SkipField(field, type);
                    break;
            }
        }

        spans.AddRange(partial.Select(span => span with { ServiceName = serviceName }));
    }

    private static void ReadScopeSpans(ReadOnlySpan<byte> message, string protocol, List<ReceivedSpan> spans)
    {
        var reader = new ProtoWireReader(message);
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == 2 && type == WireType.LengthDelimited)
            {
                spans.Add(ReadSpan(reader.ReadLengthDelimited(), protocol));
            }
            else
            {
                reader.SkipField(field, type);
            }
        }
    }

    private static ReceivedSpan ReadSpan(ReadOnlySpan<byte> message, string protocol)
    {
        string traceId = string.Empty, spanId = string.Empty, name = string.Empty;
        string? parentSpanId = null;
        var kind = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoWireReader(message);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (1, WireType.LengthDelimited):
                    traceId = Convert.ToHexStringLower(reader.ReadLengthDelimited());
                    break;
                case (2, WireType.LengthDelimited):
                    spanId = Convert.ToHexStringLower(reader.ReadLengthDelimited());
                    break;
                case (4, WireType.LengthDelimited):
                    var parent = reader.ReadLengthDelimited();
                    parentSpanId = parent.IsEmpty ? null : Convert.ToHexStringLower(parent);
                    break;
                case (5, WireType.LengthDelimited):
                    name = reader.ReadString();
                    break;
                case (6, WireType.Varint):
                    kind = unchecked((int)reader.ReadVarint());
                    break;
                case (9, WireType.LengthDelimited):
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes);
                    break;
                default:
                    reader.SkipField(field, type);
                    break;
            }
        }

        return new ReceivedSpan(string.Empty, traceId, spanId, parentSpanId, name, kind, attributes, protocol);
    }

    /// <summary>Reads the repeated KeyValue field of a message such as Resource.</summary>
    private static Dictionary<string, string> ReadAttributesOf(ReadOnlySpan<byte> message, int attributesField)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoWireReader(message);
        while (reader.TryReadTag(out var field, out var type))
        {
            if (field == attributesField && type == WireType.LengthDelimited)
            {
                ReadKeyValue(reader.ReadLengthDelimited(), attributes);
            }
            else
            {
                reader.SkipField(field, type);
            }
        }

        return attributes;
    }

    private static void ReadKeyValue(ReadOnlySpan<byte> message, Dictionary<string, string> attributes)
    {
        string? key = null, value = null;
        var reader = new ProtoWireReader(message);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (1, WireType.LengthDelimited):
                    key = reader.ReadString();
                    break;
                case (2, WireType.LengthDelimited):
                    value = ReadAnyValue(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.SkipField(field, type);
                    break;
            }
        }

        // Values of other kinds (arrays, key-value lists, bytes) are not rendered.
        if (key is not null && value is not null)
        {
            attributes[key] = value;
        }
    }

    private static string? ReadAnyValue(ReadOnlySpan<byte> message)
    {
        string? value = null;
        var reader = new ProtoWireReader(message);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (1, WireType.LengthDelimited):
                    value = reader.ReadString();
                    break;
                case (2, WireType.Varint):
                    value = reader.ReadVarint() != 0 ? "true" : "false";
                    break;
                case (3, WireType.Varint):
                    value = unchecked((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture);
                    break;
                case (4, WireType.Fixed64):
                    var bits = unchecked((long)reader.ReadFixed64());
                    value = BitConverter.Int64BitsToDouble(bits).ToString("R", CultureInfo.InvariantCulture);
                    break;
                default:
                    reader.SkipField(field, type);
                    break;
            }
        }

        return value;
    }
}

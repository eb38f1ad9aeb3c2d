using FluentAssertions;
using PracticePlatform.Testing.Otlp;

namespace PracticePlatform.Testing.Tests.Otlp;

public class OtlpTraceDecoderTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("0AF7651916CD43DD8448EB211C80319C");
    private static readonly byte[] ParentId = Convert.FromHexString("B7AD6B7169203331");
    private static readonly byte[] ChildId = Convert.FromHexString("00F067AA0BA902B7");

    internal static byte[] SampleRequest() => ProtoWriter.Build(request => request
        .MessageField(1, resourceSpans => resourceSpans
            // Scope spans first, resource afterwards: field order on the wire is free.
            .MessageField(2, scopeSpans => scopeSpans
                .MessageField(1, scope => scope.StringField(1, "TestSource"))
                .MessageField(2, span => span
                    .BytesField(1, TraceId)
                    .BytesField(2, ParentId)
                    .BytesField(4, [])
                    .StringField(5, "parent")
                    .VarintField(6, 2))
                .MessageField(2, span => span
                    .BytesField(1, TraceId)
                    .BytesField(2, ChildId)
                    .BytesField(4, ParentId)
                    .StringField(5, "child")
                    .VarintField(6, 3)
                    .Fixed64Field(7, 1_700_000_000_000_000_000) // start time: skipped
                    .MessageField(9, Attribute("s", any => any.StringField(1, "text")))
                    .MessageField(9, Attribute("b", any => any.VarintField(2, 1)))
                    .MessageField(9, Attribute("f", any => any.VarintField(2, 0)))
                    .MessageField(9, Attribute("i", any => any.VarintField(3, unchecked((ulong)-1234567890123L))))
                    .MessageField(9, Attribute("d", any => any.Fixed64Field(4, (ulong)BitConverter.DoubleToInt64Bits(2.5))))
                    .MessageField(9, Attribute("bytes", any => any.BytesField(7, [1, 2])))
                    .MessageField(15, status => status.VarintField(3, 1)))) // status: skipped
            .MessageField(1, resource => resource
                .MessageField(1, Attribute("service.name", any => any.StringField(1, "svc-x")))
                .MessageField(1, Attribute("host.name", any => any.StringField(1, "box")))
                .VarintField(2, 0))
            .StringField(3, "https://opentelemetry.io/schemas/1.26.0")));

    private static Action<ProtoWriter> Attribute(string key, Action<ProtoWriter> value) =>
        kv => kv.StringField(1, key).MessageField(2, value);

    [Fact]
    public void Decodes_spans_with_ids_kind_attributes_and_the_resource_service_name()
    {
        var spans = OtlpTraceDecoder.DecodeExportTraceServiceRequest(SampleRequest(), OtlpProtocols.Grpc);

        spans.Should().HaveCount(2);
        var parent = spans[0];
        parent.Should().BeEquivalentTo(new
        {
            ServiceName = "svc-x",
            TraceId = "0af7651916cd43dd8448eb211c80319c",
            SpanId = "b7ad6b7169203331",
            ParentSpanId = (string?)null,
            Name = "parent",
            Kind = 2,
            Protocol = "grpc",
        });
        parent.Attributes.Should().BeEmpty();

        var child = spans[1];
        child.TraceId.Should().Be(parent.TraceId);
        child.SpanId.Should().Be("00f067aa0ba902b7");
        child.ParentSpanId.Should().Be(parent.SpanId);
        child.Name.Should().Be("child");
        child.Kind.Should().Be(3);
        child.ServiceName.Should().Be("svc-x");
        child.Attributes.Should().Equal(new Dictionary<string, string>
        {
            ["s"] = "text",
            ["b"] = "true",
            ["f"] = "false",
            ["i"] = "-1234567890123",
            ["d"] = "2.5",
        });
    }

    [Fact]
    public void An_empty_request_has_no_spans()
    {
        OtlpTraceDecoder.DecodeExportTraceServiceRequest([], OtlpProtocols.HttpProtobuf).Should().BeEmpty();
    }

    [Fact]
    public void A_resource_without_service_name_gives_an_empty_service_name()
    {
        var request = ProtoWriter.Build(r => r.MessageField(1, rs => rs
            .MessageField(2, ss => ss.MessageField(2, span => span.StringField(5, "orphan")))));

        var span = OtlpTraceDecoder.DecodeExportTraceServiceRequest(request, OtlpProtocols.HttpProtobuf).Single();

        span.ServiceName.Should().BeEmpty();
        span.Name.Should().Be("orphan");
        span.Protocol.Should().Be("http/protobuf");
    }

    [Fact]
    public void Every_truncation_of_a_valid_request_is_rejected_with_InvalidDataException()
    {
        var request = SampleRequest();

        // Cutting inside the outer ResourceSpans length always leaves a length that points past the end.
        for (var length = 1; length < request.Length; length++)
        {
            var prefix = request[..length];
            var act = () => OtlpTraceDecoder.DecodeExportTraceServiceRequest(prefix, OtlpProtocols.Grpc);
            act.Should().Throw<InvalidDataException>(because: $"a {length}-byte prefix is truncated");
        }
    }

    [Fact]
    public void Random_garbage_either_decodes_or_fails_with_InvalidDataException()
    {
        var random = new Random(12345);
        var request = SampleRequest();
        for (var i = 0; i < 2_000; i++)
        {
            var input = (byte[])request.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            try
            {
                OtlpTraceDecoder.DecodeExportTraceServiceRequest(input, OtlpProtocols.Grpc);
            }
            catch (InvalidDataException)
            {
                // Expected for most corruptions; anything else (IndexOutOfRange, ArgumentOutOfRange...) fails.
            }
        }
    }
}

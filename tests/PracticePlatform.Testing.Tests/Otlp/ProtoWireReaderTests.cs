using FluentAssertions;
using PracticePlatform.Testing.Otlp;

namespace PracticePlatform.Testing.Tests.Otlp;

public class ProtoWireReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, 0UL)]
    [InlineData(new byte[] { 0x01 }, 1UL)]
    [InlineData(new byte[] { 0x7F }, 127UL)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128UL)]
    [InlineData(new byte[] { 0xAC, 0x02 }, 300UL)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 0xFFFF_FFFFUL)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 }, 0x1_0000_0000UL)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, ulong.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, 0x8000_0000_0000_0000UL)]
    public void ReadVarint_decodes_single_and_multi_byte_values(byte[] input, ulong expected)
    {
        var reader = new ProtoWireReader(input);

        reader.ReadVarint().Should().Be(expected);
        reader.IsAtEnd.Should().BeTrue();
    }

    [Fact]
    public void ReadVarint_round_trips_values_across_the_64_bit_range()
    {
        ulong[] values = [0, 1, 127, 128, 16_383, 16_384, 1UL << 35, (ulong)long.MaxValue, unchecked((ulong)-1L), unchecked((ulong)-42L)];
        var input = ProtoWriter.Build(w =>
        {
            foreach (var value in values)
            {
                w.Varint(value);
            }
        });

        var reader = new ProtoWireReader(input);
        var decoded = new List<ulong>();
        while (!reader.IsAtEnd)
        {
            decoded.Add(reader.ReadVarint());
        }

        decoded.Should().Equal(values);
        unchecked((long)decoded[^1]).Should().Be(-42);
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void ReadVarint_rejects_truncated_or_overlong_input(byte[] input)
    {
        var act = () => new ProtoWireReader(input).ReadVarint();

        act.Should().Throw<InvalidDataException>().WithMessage("Malformed protobuf*");
    }

    [Fact]
    public void Fixed_width_values_are_little_endian()
    {
        var input = ProtoWriter.Build(w => w
            .Fixed64Field(1, 0x0102_0304_0506_0708UL)
            .Fixed32Field(2, 0xA1B2_C3D4U));

        var reader = new ProtoWireReader(input);

        reader.TryReadTag(out var field, out var type).Should().BeTrue();
        (field, type).Should().Be((1, WireType.Fixed64));
        reader.ReadFixed64().Should().Be(0x0102_0304_0506_0708UL);
        reader.TryReadTag(out field, out type).Should().BeTrue();
        (field, type).Should().Be((2, WireType.Fixed32));
        reader.ReadFixed32().Should().Be(0xA1B2_C3D4U);
        reader.TryReadTag(out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryReadTag_decodes_multi_byte_field_numbers()
    {
        var input = ProtoWriter.Build(w => w.StringField(536_870_911, "max").StringField(16, "sixteen"));
        var reader = new ProtoWireReader(input);

        reader.TryReadTag(out var field, out var type).Should().BeTrue();
        (field, type).Should().Be((536_870_911, WireType.LengthDelimited));
        reader.ReadString().Should().Be("max");
        reader.TryReadTag(out field, out _).Should().BeTrue();
        field.Should().Be(16);
        reader.ReadString().Should().Be("sixteen");
    }

    public static TheoryData<string, byte[]> UnknownFields() => new()
    {
        { "varint", ProtoWriter.Build(w => w.VarintField(90, ulong.MaxValue)) },
        { "fixed64", ProtoWriter.Build(w => w.Fixed64Field(91, 0xDEAD_BEEF_DEAD_BEEF)) },
        { "length-delimited", ProtoWriter.Build(w => w.StringField(92, "ignored payload")) },
        { "empty length-delimited", ProtoWriter.Build(w => w.BytesField(92, [])) },
        { "fixed32", ProtoWriter.Build(w => w.Fixed32Field(93, 0xFFFF_FFFF)) },
        {
            "group",
            ProtoWriter.Build(w => w
                .Tag(94, WireType.StartGroup)
                .VarintField(1, 300)
                .Tag(2, WireType.StartGroup).Fixed32Field(3, 7).Tag(2, WireType.EndGroup)
                .StringField(4, "inner")
                .Tag(94, WireType.EndGroup))
        },
    };

    [Theory]
    [MemberData(nameof(UnknownFields))]
    public void SkipField_skips_each_wire_type_and_lands_on_the_next_field(string kind, byte[] unknown)
    {
        var input = ProtoWriter.Build(w => w.StringField(1, "before").Raw(unknown).StringField(2, "after"));
        var reader = new ProtoWireReader(input);
        var seen = new List<string>();

        while (reader.TryReadTag(out var field, out var type))
        {
            if (field is 1 or 2)
            {
                seen.Add(reader.ReadString());
            }
            else
            {
                reader.SkipField(field, type);
            }
        }

        seen.Should().Equal(["before", "after"], because: $"the unknown {kind} field must be skipped exactly");
    }

    public static TheoryData<string, byte[]> MalformedInputs() => new()
    {
        { "truncated fixed64", ProtoWriter.Build(w => w.Tag(5, WireType.Fixed64).Raw(1, 2, 3, 4, 5, 6, 7)) },
        { "truncated fixed32", ProtoWriter.Build(w => w.Tag(5, WireType.Fixed32).Raw(1, 2, 3)) },
        { "truncated varint value", ProtoWriter.Build(w => w.Tag(5, WireType.Varint).Raw(0x80, 0x80)) },
        { "missing varint value", ProtoWriter.Build(w => w.Tag(5, WireType.Varint)) },
        { "length beyond the end", ProtoWriter.Build(w => w.Tag(5, WireType.LengthDelimited).Varint(10).Raw(1, 2, 3)) },
        { "huge length", ProtoWriter.Build(w => w.Tag(5, WireType.LengthDelimited).Varint(ulong.MaxValue).Raw(1)) },
        { "missing length", ProtoWriter.Build(w => w.Tag(5, WireType.LengthDelimited)) },
        { "unterminated group", ProtoWriter.Build(w => w.Tag(5, WireType.StartGroup).VarintField(1, 1)) },
        { "mismatched end group", ProtoWriter.Build(w => w.Tag(5, WireType.StartGroup).Tag(6, WireType.EndGroup)) },
        { "stray end group", ProtoWriter.Build(w => w.Tag(5, WireType.EndGroup)) },
        { "wire type 6", ProtoWriter.Build(w => w.Varint((5 << 3) | 6)) },
        { "wire type 7", ProtoWriter.Build(w => w.Varint((5 << 3) | 7)) },
        { "field number 0", ProtoWriter.Build(w => w.Tag(0, WireType.Varint).Varint(1)) },
        { "tag over 32 bits", ProtoWriter.Build(w => w.Varint(1UL << 35)) },
        { "truncated tag", [0x80] },
    };

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Skipping_malformed_input_throws_instead_of_reading_out_of_bounds(string kind, byte[] input)
    {
        var act = () =>
        {
            var reader = new ProtoWireReader(input);
            while (reader.TryReadTag(out var field, out var type))
            {
                reader.SkipField(field, type);
            }
        };

        act.Should().Throw<InvalidDataException>(because: kind).WithMessage("Malformed protobuf*");
    }

    [Fact]
    public void Deeply_nested_groups_are_rejected_rather_than_overflowing_the_stack()
    {
        var input = ProtoWriter.Build(w =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                w.Tag(1, WireType.StartGroup);
            }
        });

        var act = () =>
        {
            var reader = new ProtoWireReader(input);
            reader.TryReadTag(out var field, out var type);
            reader.SkipField(field, type);
        };

        act.Should().Throw<InvalidDataException>().WithMessage("*nested*");
    }
}

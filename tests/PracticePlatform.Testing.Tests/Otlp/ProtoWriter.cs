using System.Buffers.Binary;
using System.Text;
using PracticePlatform.Testing.Otlp;

namespace PracticePlatform.Testing.Tests.Otlp;

/// <summary>A tiny protobuf writer for building test inputs by hand.</summary>
internal sealed class ProtoWriter
{
    private readonly List<byte> bytes = [];

    public static byte[] Build(Action<ProtoWriter> write)
    {
        var writer = new ProtoWriter();
        write(writer);
        return [.. writer.bytes];
    }

    public ProtoWriter Tag(int field, WireType type) => Varint(((ulong)field << 3) | (ulong)type);

    public ProtoWriter Varint(ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return this;
    }

    public ProtoWriter Raw(params byte[] raw)
    {
        bytes.AddRange(raw);
        return this;
    }

    public ProtoWriter VarintField(int field, ulong value) => Tag(field, WireType.Varint).Varint(value);

    public ProtoWriter Fixed64Field(int field, ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        return Tag(field, WireType.Fixed64).Raw(buffer.ToArray());
    }

    public ProtoWriter Fixed32Field(int field, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, value);
        return Tag(field, WireType.Fixed32).Raw(buffer.ToArray());
    }

    public ProtoWriter BytesField(int field, byte[] value) =>
        Tag(field, WireType.LengthDelimited).Varint((ulong)value.Length).Raw(value);

    public ProtoWriter StringField(int field, string value) => BytesField(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter MessageField(int field, Action<ProtoWriter> write) => BytesField(field, Build(write));
}

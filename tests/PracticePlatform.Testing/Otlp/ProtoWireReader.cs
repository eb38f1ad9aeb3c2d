using System.Buffers.Binary;
using System.Text;

namespace PracticePlatform.Testing.Otlp;

/// <summary>The protobuf wire types (the low three bits of a field tag).</summary>
public enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// A minimal forward-only reader of the protobuf wire format over a span. Every read is bounds-checked:
/// truncated or malformed input throws <see cref="InvalidDataException"/>, never reads past the buffer.
/// </summary>
public ref struct ProtoWireReader(ReadOnlySpan<byte> buffer)
{
    private const int MaxGroupDepth = 64;

    private readonly ReadOnlySpan<byte> buffer = buffer;
    private int position;

    public readonly int Position => position;

    public readonly bool IsAtEnd => position >= buffer.Length;

    /// <summary>Reads the next field tag; returns false at the end of the buffer.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (IsAtEnd)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        var start = position;
        var tag = ReadVarint();
        if (tag > uint.MaxValue)
        {
            throw Malformed($"field tag at offset {start} does not fit in 32 bits");
        }

        var number = (int)(tag >> 3);
        var type = (int)(tag & 7);
        if (number == 0)
        {
            throw Malformed($"field number 0 at offset {start}");
        }

        if (type > (int)WireType.Fixed32)
        {
            throw Malformed($"invalid wire type {type} for field {number} at offset {start}");
        }

        fieldNumber = number;
        wireType = (WireType)type;
        return true;
    }

    public ulong ReadVarint()
    {
        var start = position;
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= buffer.Length)
            {
                throw Malformed($"truncated varint at offset {start}");
            }

            var b = buffer[position++];
            if (shift == 63 && b > 1)
            {
                throw Malformed($"varint at offset {start} overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed($"varint at offset {start} is longer than 10 bytes");
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "fixed64"));

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "fixed32"));

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var start = position;
        var length = ReadVarint();
        if (length > (ulong)(buffer.Length - position))
        {
            throw Malformed($"length {length} at offset {start} exceeds the {buffer.Length - position} remaining bytes");
        }

        return Take((int)length, "length-delimited field");
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadLengthDelimited());

    /// <summary>Skips the value of a field whose tag was just read.</summary>
    public void SkipField(int fieldNumber, WireType wireType) => SkipField(fieldNumber, wireType, depth: 0);

    private void SkipField(int fieldNumber, WireType wireType, int depth)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8, "fixed64");
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.Fixed32:
                Take(4, "fixed32");
                break;
            case WireType.StartGroup:
                if (depth >= MaxGroupDepth)
                {
                    throw Malformed($"groups nested deeper than {MaxGroupDepth}");
                }

                while (true)
                {
                    if (!TryReadTag(out var innerNumber, out var innerType))
                    {
                        throw Malformed($"truncated group {fieldNumber}");
                    }

                    if (innerType == WireType.EndGroup)
                    {
                        if (innerNumber != fieldNumber)
                        {
                            throw Malformed($"group {fieldNumber} closed by end-group {innerNumber}");
                        }

                        return;
                    }

                    SkipField(innerNumber, innerType, depth + 1);
                }

            case WireType.EndGroup:
                throw Malformed($"unexpected end-group for field {fieldNumber} at offset {position}");
            default:
                throw Malformed($"invalid wire type {(int)wireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > buffer.Length - position)
        {
            throw Malformed($"truncated {what} at offset {position}: needs {count} bytes, {buffer.Length - position} remain");
        }

        var slice = buffer.Slice(position, count);
        position += count;
        return slice;
    }

    private static InvalidDataException Malformed(string detail) => new($"Malformed protobuf: {detail}.");
}

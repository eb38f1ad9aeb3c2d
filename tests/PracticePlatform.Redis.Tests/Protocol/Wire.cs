using System.Buffers;
using System.Text;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis.Tests.Protocol;

/// <summary>Test shorthand for raw protocol bytes and for parsing them.</summary>
internal static class Wire
{
    /// <summary>
    /// Latin-1 maps each char below 256 to the byte of the same value, so test strings can spell any byte,
    /// "\0" and "\xff" included.
    /// </summary>
    public static byte[] Bytes(string wire) => Encoding.Latin1.GetBytes(wire);

    public static RespValue ParseOne(string wire)
    {
        var bytes = Bytes(wire);
        RespParser.TryParse(new ReadOnlySequence<byte>(bytes), out var value, out var consumed).Should().BeTrue();
        new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length.Should().Be(bytes.Length, "the whole reply is one value");
        return value!;
    }

    /// <summary>Parses values one after another until the buffer runs out or ends mid-value.</summary>
    public static List<RespValue> ParseAll(ReadOnlySequence<byte> buffer, out long leftOver)
    {
        var values = new List<RespValue>();
        while (RespParser.TryParse(buffer, out var value, out var consumed))
        {
            var length = buffer.Slice(0, consumed).Length;
            length.Should().BePositive("a parsed value consumes bytes");
            values.Add(value!);
            buffer = buffer.Slice(consumed);
        }

        leftOver = buffer.Length;
        return values;
    }
}

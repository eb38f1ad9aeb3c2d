using System.Buffers;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis.Tests.Protocol;

public class RespParserMalformedInputTests
{
    public static TheoryData<string, string> MalformedReplies { get; } = new()
    {
        { "x\r\n", "unknown type byte 'x' (0x78) at offset 0" },
        { "\r\n", "unknown type byte 0x0d at offset 0" },
        { "*2\r\n:1\r\n\x01", "unknown type byte 0x01 at offset 8" },
        { "+OK\rX\n", "expected CRLF, found CR followed by 'X' (0x58) at offset 3" },
        { "+a\rb\r\n", "expected CRLF, found CR followed by 'b' (0x62) at offset 2" },
        { "+OK\n", "expected CRLF, found LF without CR at offset 3" },
        { "#t\n", "expected CRLF, found LF without CR at offset 2" },
        { "_x", "expected CRLF, found 'x' (0x78) at offset 1" },
        { "$3\r\nfooX\r\n", "expected CRLF, found 'X' (0x58) at offset 7" },
        { "$3\r\nfoo\n", "expected CRLF, found LF without CR at offset 7" },
        { "$abc\r\n", "invalid length 'abc' at offset 1" },
        { "$ 3\r\n", "invalid length ' 3' at offset 1" },
        { "$-5\r\n", "invalid length '-5' at offset 1" },
        { "$+5\r\nhello\r\n", "invalid bulk length: a length has no '+' sign at offset 1" },
        { "%-1\r\n", "invalid length '-1' at offset 1" },
        { "~-1\r\n", "invalid length '-1' at offset 1" },
        { "!-1\r\n", "invalid length '-1' at offset 1" },
        { "$600000000\r\n", "bulk length 600000000 exceeds the 512 MB limit at offset 1" },
        { "*16777217\r\n", "array length 16777217 exceeds the limit of 16777216 elements at offset 1" },
        { "$99999999999999999999\r\n", "length '99999999999999999999' does not fit in a signed 64-bit integer at offset 1" },
        { "$?\r\n", "streamed RESP3 bulk values ('?' length) are not supported at offset 1" },
        { ":9223372036854775808\r\n", "integer '9223372036854775808' does not fit in a signed 64-bit integer at offset 1" },
        { ":-9223372036854775809\r\n", "integer '-9223372036854775809' does not fit in a signed 64-bit integer at offset 1" },
        { ":12a\r\n", "invalid integer '12a' at offset 1" },
        { ":\r\n", "invalid integer '' at offset 1" },
        { ":-\r\n", "invalid integer '-' at offset 1" },
        { ":123456789012345678901", "integer is longer than 20 bytes at offset 1" },
        { "#x\r\n", "invalid boolean 'x' (0x78), expected 't' or 'f' at offset 1" },
        { "#true\r\n", "expected CRLF, found 'r' (0x72) at offset 2" },
        { ",abc\r\n", "invalid double 'abc' at offset 1" },
        { ",Infinity\r\n", "invalid double 'Infinity' at offset 1" },
        { ",1e\r\n", "invalid double '1e' at offset 1" },
        { "(12x\r\n", "invalid big number '12x' at offset 1" },
        { "(\r\n", "invalid big number '' at offset 1" },
        { "=3\r\ntxt\r\n", "verbatim string does not start with a three-letter format and ':' at offset 4" },
        { "=5\r\ntxt-a\r\n", "verbatim string does not start with a three-letter format and ':' at offset 4" },
        { "|1\r\n+key\r\n+value\r\n:1\r\n", "RESP3 attributes ('|') are not supported at offset 0" },
        { string.Concat(Enumerable.Repeat("*1\r\n", 65)) + ":1\r\n", "aggregates are nested more than 64 deep at offset 256" },
        { string.Concat(Enumerable.Repeat("%1\r\n+k\r\n", 65)) + ":1\r\n", "aggregates are nested more than 64 deep at offset 512" },
    };

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public void Malformed_input_is_rejected_with_what_was_wrong_and_where(string wire, string message)
    {
        var parse = () => RespParser.TryParse(new ReadOnlySequence<byte>(Wire.Bytes(wire)), out _, out _);

        parse.Should().Throw<RespProtocolException>().WithMessage(message);
    }

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public void Malformed_input_is_rejected_the_same_way_when_it_arrives_one_byte_per_segment(string wire, string message)
    {
        var parse = () => RespParser.TryParse(ChunkedSequence.FromSingleBytes(Wire.Bytes(wire)), out _, out _);

        parse.Should().Throw<RespProtocolException>().WithMessage(message);
    }

    [Fact]
    public void The_exception_carries_the_offset_of_the_problem()
    {
        var parse = () => RespParser.TryParse(new ReadOnlySequence<byte>(Wire.Bytes("*1\r\n$-7\r\n")), out _, out _);

        parse.Should().Throw<RespProtocolException>().Which.Offset.Should().Be(5);
    }

    [Fact]
    public void A_length_beyond_the_limit_is_rejected_before_the_payload_arrives()
    {
        // Waiting for 600 MB that will never be accepted would only fill memory.
        var parse = () => RespParser.TryParse(new ReadOnlySequence<byte>(Wire.Bytes("$600000000\r\n")), out _, out _);

        parse.Should().Throw<RespProtocolException>();
    }

    [Fact]
    public void Random_bytes_are_parsed_left_incomplete_or_rejected_and_nothing_else()
    {
        var random = new Random(90210);
        for (var attempt = 0; attempt < 2_000; attempt++)
        {
            var input = (attempt % 3) switch
            {
                0 => RandomBytes(random),
                1 => RandomTokens(random),
                _ => MutatedReplies(random),
            };

            var whole = Outcome(new ReadOnlySequence<byte>(input));
            var pieces = Outcome(ChunkedSequence.From(ChunkedSequence.RandomChunks(input, random, maxChunk: 5)));

            pieces.Should().Be(whole, $"the result cannot depend on how {Convert.ToHexString(input)} was split");
        }
    }

    /// <summary>
    /// Parses values until the input runs out, ends mid-value or is rejected, and describes what happened.
    /// Any exception other than <see cref="RespProtocolException"/> fails the test.
    /// </summary>
    private static string Outcome(ReadOnlySequence<byte> input)
    {
        var description = Convert.ToHexString(input.ToArray());
        var values = new List<string>();
        try
        {
            while (RespParser.TryParse(input, out var value, out var consumed))
            {
                var length = input.Slice(0, consumed).Length;
                length.Should().BePositive($"parsing {description} must make progress");
                values.Add(value!.ToString());
                input = input.Slice(consumed);
            }

            return $"{string.Join(" | ", values)} then incomplete with {input.Length} bytes left";
        }
        catch (RespProtocolException exception)
        {
            return $"{string.Join(" | ", values)} then rejected: {exception.Message}";
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"Parsing {description} threw {exception.GetType().Name}, not RespProtocolException: {exception}");
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static readonly string[] Tokens =
    [
        "+", "-", ":", "$", "*", "_", "#", ",", "(", "=", "!", "%", "~", ">", "|", "?",
        "\r\n", "\r\n", "\r\n", "\r", "\n", "-1", "0", "1", "2", "3", "4", "15", "-5", "t", "f",
        "OK", "abc", "txt:", "inf", "nan", "1.5e3", "9223372036854775808", "99999999999", "\0", "\xff",
    ];

    private static byte[] RandomTokens(Random random) =>
        Wire.Bytes(string.Concat(Enumerable.Range(0, random.Next(1, 24)).Select(_ => Tokens[random.Next(Tokens.Length)])));

    private static byte[] MutatedReplies(Random random)
    {
        var bytes = SampleReplies.Stream[..random.Next(1, SampleReplies.Stream.Length + 1)];
        for (var mutations = random.Next(1, 4); mutations > 0; mutations--)
        {
            var replacement = Wire.Bytes(Tokens[random.Next(Tokens.Length)]);
            bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)random.Next(256) : replacement[0];
        }

        return bytes;
    }
}

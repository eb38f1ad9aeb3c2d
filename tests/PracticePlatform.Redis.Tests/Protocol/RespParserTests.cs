using System.Buffers;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis.Tests.Protocol;

public class RespParserTests
{
    [Fact]
    public void A_simple_string_is_parsed()
    {
        var value = Wire.ParseOne("+OK\r\n");

        value.Type.Should().Be(RespType.SimpleString);
        value.AsString().Should().Be("OK");
        value.IsNull.Should().BeFalse();
        value.IsError.Should().BeFalse();
    }

    [Fact]
    public void An_empty_simple_string_is_parsed()
    {
        Wire.ParseOne("+\r\n").Should().Be(RespValue.SimpleString(""));
    }

    [Fact]
    public void An_error_is_parsed_with_its_message()
    {
        var value = Wire.ParseOne("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");

        value.Type.Should().Be(RespType.Error);
        value.IsError.Should().BeTrue();
        value.ErrorMessage.Should().Be("WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    [Theory]
    [InlineData(":0\r\n", 0L)]
    [InlineData(":1000\r\n", 1000L)]
    [InlineData(":-42\r\n", -42L)]
    [InlineData(":+7\r\n", 7L)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    [InlineData(":-9223372036854775808\r\n", long.MinValue)]
    public void Integers_are_parsed_across_the_signed_64_bit_range(string wire, long expected)
    {
        var value = Wire.ParseOne(wire);

        value.Type.Should().Be(RespType.Integer);
        value.Integer.Should().Be(expected);
    }

    [Fact]
    public void A_bulk_string_is_parsed()
    {
        var value = Wire.ParseOne("$5\r\nhello\r\n");

        value.Type.Should().Be(RespType.BulkString);
        value.AsString().Should().Be("hello");
    }

    [Fact]
    public void An_empty_bulk_string_is_not_null()
    {
        var value = Wire.ParseOne("$0\r\n\r\n");

        value.Type.Should().Be(RespType.BulkString);
        value.IsNull.Should().BeFalse();
        value.Bytes.Length.Should().Be(0);
        value.AsString().Should().Be("");
    }

    [Fact]
    public void A_bulk_string_keeps_binary_bytes_including_CR_and_LF()
    {
        var value = Wire.ParseOne("$10\r\n\r\n\0\xff\r\r\n\n\x80\x7f\r\n");

        value.Bytes.ToArray().Should().Equal(0x0D, 0x0A, 0x00, 0xFF, 0x0D, 0x0D, 0x0A, 0x0A, 0x80, 0x7F);
    }

    [Fact]
    public void The_RESP2_null_bulk_string_is_null_and_keeps_its_type()
    {
        var value = Wire.ParseOne("$-1\r\n");

        value.IsNull.Should().BeTrue();
        value.Type.Should().Be(RespType.BulkString);
        value.AsString().Should().BeNull();
    }

    [Fact]
    public void The_RESP2_null_array_is_null_and_keeps_its_type()
    {
        var value = Wire.ParseOne("*-1\r\n");

        value.IsNull.Should().BeTrue();
        value.Type.Should().Be(RespType.Array);
        value.Items.Should().BeEmpty();
    }

    [Fact]
    public void The_RESP3_null_is_null()
    {
        var value = Wire.ParseOne("_\r\n");

        value.IsNull.Should().BeTrue();
        value.Type.Should().Be(RespType.Null);
    }

    [Fact]
    public void An_array_of_mixed_elements_is_parsed_in_order()
    {
        var value = Wire.ParseOne("*4\r\n$3\r\nfoo\r\n:-1\r\n+bar\r\n$-1\r\n");

        value.Should().Be(RespValue.Array(
            RespValue.BulkString("foo"),
            RespValue.FromInteger(-1),
            RespValue.SimpleString("bar"),
            RespValue.NullBulkString));
    }

    [Fact]
    public void An_empty_array_is_parsed()
    {
        var value = Wire.ParseOne("*0\r\n");

        value.Type.Should().Be(RespType.Array);
        value.IsNull.Should().BeFalse();
        value.Items.Should().BeEmpty();
    }

    [Fact]
    public void Nested_arrays_are_parsed()
    {
        var value = Wire.ParseOne("*2\r\n*3\r\n:1\r\n:2\r\n:3\r\n*2\r\n+Hello\r\n-World\r\n");

        value.Should().Be(RespValue.Array(
            RespValue.Array(RespValue.FromInteger(1), RespValue.FromInteger(2), RespValue.FromInteger(3)),
            RespValue.Array(RespValue.SimpleString("Hello"), RespValue.Error("World"))));
    }

    [Theory]
    [InlineData("#t\r\n", true)]
    [InlineData("#f\r\n", false)]
    public void Booleans_are_parsed(string wire, bool expected)
    {
        var value = Wire.ParseOne(wire);

        value.Type.Should().Be(RespType.Boolean);
        value.Integer.Should().Be(expected ? 1 : 0);
    }

    [Theory]
    [InlineData(",3.14\r\n", 3.14)]
    [InlineData(",-1.5e3\r\n", -1500.0)]
    [InlineData(",10\r\n", 10.0)]
    [InlineData(",1.23E-2\r\n", 0.0123)]
    [InlineData(",inf\r\n", double.PositiveInfinity)]
    [InlineData(",-inf\r\n", double.NegativeInfinity)]
    [InlineData(",nan\r\n", double.NaN)]
    public void Doubles_are_parsed_including_infinities_and_nan(string wire, double expected)
    {
        var value = Wire.ParseOne(wire);

        value.Type.Should().Be(RespType.Double);
        value.Double.Should().Be(expected);
    }

    [Theory]
    [InlineData("(3492890328409238509324850943850943825024385\r\n", "3492890328409238509324850943850943825024385")]
    [InlineData("(-3492890328409238509324850943850943825024385\r\n", "-3492890328409238509324850943850943825024385")]
    public void Big_numbers_keep_all_their_digits(string wire, string digits)
    {
        var value = Wire.ParseOne(wire);

        value.Type.Should().Be(RespType.BigNumber);
        value.AsString().Should().Be(digits);
    }

    [Fact]
    public void A_verbatim_string_separates_its_format_from_its_text()
    {
        var value = Wire.ParseOne("=15\r\ntxt:Some string\r\n");

        value.Type.Should().Be(RespType.VerbatimString);
        value.VerbatimFormat.Should().Be("txt");
        value.AsString().Should().Be("Some string");
    }

    [Fact]
    public void A_bulk_error_is_an_error_with_its_message()
    {
        var value = Wire.ParseOne("!21\r\nSYNTAX invalid syntax\r\n");

        value.Type.Should().Be(RespType.BulkError);
        value.IsError.Should().BeTrue();
        value.ErrorMessage.Should().Be("SYNTAX invalid syntax");
    }

    [Fact]
    public void A_map_is_flattened_into_keys_and_values()
    {
        var value = Wire.ParseOne("%2\r\n+first\r\n:1\r\n+second\r\n*2\r\n:2\r\n_\r\n");

        value.Type.Should().Be(RespType.Map);
        value.Items.Should().Equal(
            RespValue.SimpleString("first"),
            RespValue.FromInteger(1),
            RespValue.SimpleString("second"),
            RespValue.Array(RespValue.FromInteger(2), RespValue.Null));
    }

    [Fact]
    public void An_empty_map_is_parsed()
    {
        var value = Wire.ParseOne("%0\r\n");

        value.Type.Should().Be(RespType.Map);
        value.Items.Should().BeEmpty();
    }

    [Fact]
    public void A_set_is_parsed()
    {
        Wire.ParseOne("~3\r\n+orange\r\n+apple\r\n#t\r\n").Should().Be(
            RespValue.Set(RespValue.SimpleString("orange"), RespValue.SimpleString("apple"), RespValue.FromBoolean(true)));
    }

    [Fact]
    public void A_push_message_is_parsed()
    {
        var value = Wire.ParseOne(">3\r\n$7\r\nmessage\r\n$7\r\nchannel\r\n$5\r\nhello\r\n");

        value.Type.Should().Be(RespType.Push);
        value.Items.Select(item => item.AsString()).Should().Equal("message", "channel", "hello");
    }

    [Fact]
    public void Aggregates_of_every_kind_nest_inside_each_other()
    {
        var value = Wire.ParseOne("%1\r\n~1\r\n*1\r\n>1\r\n%1\r\n:1\r\n$1\r\nx\r\n*0\r\n");

        value.Should().Be(RespValue.Map(
            (RespValue.Set(RespValue.Array(RespValue.Push(RespValue.Map((RespValue.FromInteger(1), RespValue.BulkString("x")))))),
             RespValue.Array())));
    }

    [Fact]
    public void Aggregates_nested_64_deep_are_accepted()
    {
        var value = Wire.ParseOne(string.Concat(Enumerable.Repeat("*1\r\n", RespParser.MaxDepth)) + ":1\r\n");

        var depth = 0;
        for (var current = value; current.Type == RespType.Array; current = current.Items[0])
        {
            depth++;
        }

        depth.Should().Be(64);
    }

    [Fact]
    public void Parsing_stops_right_after_the_first_value()
    {
        var buffer = new ReadOnlySequence<byte>(Wire.Bytes("$3\r\nfoo\r\n+NEXT\r\n"));

        RespParser.TryParse(buffer, out var value, out var consumed).Should().BeTrue();

        value.Should().Be(RespValue.BulkString("foo"));
        buffer.Slice(consumed).ToArray().Should().Equal(Wire.Bytes("+NEXT\r\n"));
    }

    [Fact]
    public void An_empty_buffer_is_incomplete()
    {
        RespParser.TryParse(ReadOnlySequence<byte>.Empty, out var value, out var consumed).Should().BeFalse();

        value.Should().BeNull();
        consumed.Should().Be(ReadOnlySequence<byte>.Empty.Start);
    }

    [Fact]
    public void A_large_bulk_string_spread_over_many_segments_is_copied_whole()
    {
        var payload = new byte[1_000_003];
        new Random(3).NextBytes(payload);
        var wire = Wire.Bytes($"${payload.Length}\r\n").Concat(payload).Concat(Wire.Bytes("\r\n")).ToArray();
        var buffer = ChunkedSequence.From(ChunkedSequence.RandomChunks(wire, new Random(4), maxChunk: 4096));

        RespParser.TryParse(buffer, out var value, out _).Should().BeTrue();

        value!.Bytes.ToArray().Should().Equal(payload);
    }

    [Fact]
    public void An_announced_huge_array_that_has_not_arrived_is_incomplete_without_allocating_it()
    {
        var buffer = new ReadOnlySequence<byte>(Wire.Bytes($"*{RespParser.MaxAggregateLength}\r\n:1\r\n"));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var parsed = RespParser.TryParse(buffer, out var value, out _);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        parsed.Should().BeFalse();
        value.Should().BeNull();
        allocated.Should().BeLessThan(1024 * 1024, "the 16 Mi element array (128 MB of references) is only built once all its elements have arrived");
    }
}

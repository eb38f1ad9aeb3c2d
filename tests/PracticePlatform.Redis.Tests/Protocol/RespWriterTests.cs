using System.Buffers;
using System.Text;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis.Tests.Protocol;

public class RespWriterTests
{
    [Fact]
    public void A_command_is_written_as_an_array_of_bulk_strings()
    {
        var bytes = RespWriter.EncodeCommand("SET", "mykey", "Hello");

        Encoding.ASCII.GetString(bytes).Should().Be("*3\r\n$3\r\nSET\r\n$5\r\nmykey\r\n$5\r\nHello\r\n");
    }

    [Fact]
    public void Text_arguments_are_sent_as_UTF_8_with_their_byte_length()
    {
        var bytes = RespWriter.EncodeCommand("GET", "ключ");

        bytes.Should().Equal(Wire.Bytes("*2\r\n$3\r\nGET\r\n$8\r\n").Concat(Encoding.UTF8.GetBytes("ключ")).Concat(Wire.Bytes("\r\n")));
    }

    [Fact]
    public void An_empty_argument_is_an_empty_bulk_string()
    {
        RespWriter.EncodeCommand("ECHO", "").Should().Equal(Wire.Bytes("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"));
    }

    [Fact]
    public void Binary_arguments_are_written_unchanged()
    {
        var output = new ArrayBufferWriter<byte>();
        byte[] value = [0x00, 0x0D, 0x0A, 0xFF, (byte)'$', (byte)'*', 0x0A];

        RespWriter.WriteCommand(output, [Encoding.ASCII.GetBytes("SET"), Encoding.ASCII.GetBytes("k"), value]);

        output.WrittenSpan.ToArray().Should().Equal(Wire.Bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$7\r\n\0\r\n\xff$*\n\r\n"));
    }

    [Fact]
    public void A_large_argument_is_written_whole_through_small_buffer_spans()
    {
        var payload = new byte[100_000];
        new Random(5).NextBytes(payload);
        var output = new SmallSpanBufferWriter(maxSpan: 7);

        RespWriter.WriteCommand(output, [Encoding.ASCII.GetBytes("SET"), Encoding.ASCII.GetBytes("k"), payload]);

        RespParser.TryParse(new ReadOnlySequence<byte>(output.Written.ToArray()), out var value, out _).Should().BeTrue();
        value!.Items[2].Bytes.ToArray().Should().Equal(payload);
    }

    [Fact]
    public void A_written_command_parses_back_to_its_arguments()
    {
        string[] arguments = ["XADD", "stream", "*", "field", "line one\r\nline two", "emoji", "😀", ""];

        var value = Wire.ParseOne(Encoding.Latin1.GetString(RespWriter.EncodeCommand(arguments)));

        value.Should().Be(RespValue.Array([.. arguments.Select(RespValue.BulkString)]));
    }

    [Fact]
    public void Binary_arguments_parse_back_unchanged()
    {
        var random = new Random(11);
        var arguments = Enumerable.Range(0, 20).Select(i =>
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            return (ReadOnlyMemory<byte>)bytes;
        }).ToList();
        var output = new ArrayBufferWriter<byte>();

        RespWriter.WriteCommand(output, arguments);

        var value = Wire.ParseOne(Encoding.Latin1.GetString(output.WrittenSpan));
        value.Items.Select(item => item.Bytes.ToArray()).Should().BeEquivalentTo(
            arguments.Select(argument => argument.ToArray()), options => options.WithStrictOrdering());
    }

    [Fact]
    public void A_command_without_arguments_is_refused()
    {
        var encode = () => RespWriter.EncodeCommand();

        encode.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_null_argument_is_refused()
    {
        var encode = () => RespWriter.EncodeCommand("GET", null!);

        encode.Should().Throw<ArgumentException>();
    }

    /// <summary>Hands out spans no larger than needed, like a pipe near the end of its segment.</summary>
    private sealed class SmallSpanBufferWriter(int maxSpan) : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public IReadOnlyList<byte> Written => _written;

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, maxSpan)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}

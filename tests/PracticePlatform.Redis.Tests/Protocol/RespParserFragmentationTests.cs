using System.Buffers;
using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis.Tests.Protocol;

/// <summary>
/// A socket delivers replies in arbitrary pieces. Whatever the pieces, the parser must produce the same
/// values, and must say "incomplete" (consuming nothing) exactly while the bytes so far end inside a value.
/// </summary>
public class RespParserFragmentationTests
{
    private static readonly byte[] Stream = SampleReplies.Stream;

    [Fact]
    public void The_stream_in_one_piece_parses_to_every_reply()
    {
        var values = Wire.ParseAll(new ReadOnlySequence<byte>(Stream), out var leftOver);

        values.Should().Equal(SampleReplies.Values);
        leftOver.Should().Be(0);
    }

    [Fact]
    public void Every_split_into_two_reads_parses_to_the_same_replies()
    {
        for (var split = 0; split <= Stream.Length; split++)
        {
            var values = Receive([Stream[..split], Stream[split..]], $"split at {split}");

            values.Should().Equal(SampleReplies.Values, $"the stream was split at offset {split}");
        }
    }

    [Fact]
    public void One_byte_reads_parse_to_the_same_replies()
    {
        var values = Receive(Stream.Select(b => new[] { b }).ToList(), "one byte per read");

        values.Should().Equal(SampleReplies.Values);
    }

    [Fact]
    public void A_sequence_of_one_byte_segments_parses_to_every_reply()
    {
        var values = Wire.ParseAll(ChunkedSequence.FromSingleBytes(Stream), out var leftOver);

        values.Should().Equal(SampleReplies.Values);
        leftOver.Should().Be(0);
    }

    [Fact]
    public void Random_reads_parse_to_the_same_replies()
    {
        var random = new Random(7411);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var chunks = ChunkedSequence.RandomChunks(Stream, random, maxChunk: 2 + (attempt % 40));
            var description = $"reads of {string.Join(",", chunks.Select(c => c.Length))} bytes";

            var values = Receive(chunks, description);

            values.Should().Equal(SampleReplies.Values, description);
        }
    }

    [Fact]
    public void Every_prefix_of_a_reply_is_incomplete_and_consumes_nothing()
    {
        foreach (var (wire, _) in SampleReplies.Mixed)
        {
            var bytes = Wire.Bytes(wire);
            for (var length = 0; length < bytes.Length; length++)
            {
                var prefix = ChunkedSequence.FromSingleBytes(bytes[..length]);

                var parsed = RespParser.TryParse(prefix, out var value, out var consumed);

                parsed.Should().BeFalse($"{length} of the {bytes.Length} bytes of {Escape(wire)} are not a whole reply");
                value.Should().BeNull();
                consumed.Should().Be(prefix.Start);
            }
        }
    }

    /// <summary>
    /// Plays the connection's read loop: after each read, parse as many values as the bytes received allow,
    /// checking that a value is reported exactly when all its bytes have arrived.
    /// </summary>
    private static List<RespValue> Receive(IReadOnlyList<byte[]> reads, string description)
    {
        var received = new List<byte[]>();
        long available = 0;
        long consumedSoFar = 0;
        var values = new List<RespValue>();
        foreach (var read in reads)
        {
            received.Add(read);
            available += read.Length;
            while (true)
            {
                var buffer = ChunkedSequence.From(received).Slice(consumedSoFar);
                var next = values.Count;
                var wholeValueArrived = next < SampleReplies.Ends.Count && SampleReplies.Ends[next] <= available;

                var parsed = RespParser.TryParse(buffer, out var value, out var consumed);

                parsed.Should().Be(wholeValueArrived, $"{available} bytes have arrived and reply {next} ends at {(next < SampleReplies.Ends.Count ? SampleReplies.Ends[next] : -1)} ({description})");
                if (!parsed)
                {
                    value.Should().BeNull();
                    consumed.Should().Be(buffer.Start, "an incomplete value consumes nothing");
                    break;
                }

                consumedSoFar += buffer.Slice(0, consumed).Length;
                consumedSoFar.Should().Be(SampleReplies.Ends[next], $"reply {next} ends there ({description})");
                values.Add(value!);
            }
        }

        consumedSoFar.Should().Be(Stream.Length);
        return values;
    }

    private static string Escape(string wire) => wire.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

using System.Buffers;

namespace PracticePlatform.Redis.Tests.Protocol;

/// <summary>
/// Builds a multi-segment <see cref="ReadOnlySequence{T}"/> from separate chunks: the shape a pipe hands
/// the parser after several socket reads.
/// </summary>
internal static class ChunkedSequence
{
    public static ReadOnlySequence<byte> From(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Chunk(chunks[0], previous: null);
        var last = first;
        foreach (var chunk in chunks.Skip(1))
        {
            last = new Chunk(chunk, last);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> FromSingleBytes(byte[] bytes) =>
        From(bytes.Select(b => new[] { b }).ToList());

    /// <summary>Cuts <paramref name="bytes"/> into pieces of 1 to <paramref name="maxChunk"/> bytes.</summary>
    public static List<byte[]> RandomChunks(byte[] bytes, Random random, int maxChunk)
    {
        var chunks = new List<byte[]>();
        for (var start = 0; start < bytes.Length;)
        {
            var length = Math.Min(random.Next(1, maxChunk + 1), bytes.Length - start);
            chunks.Add(bytes[start..(start + length)]);
            start += length;
        }

        return chunks;
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(byte[] bytes, Chunk? previous)
        {
            Memory = bytes;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}

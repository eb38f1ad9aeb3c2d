using System.Buffers;
using System.Globalization;
using System.Text;

namespace PracticePlatform.Redis.Protocol;

/// <summary>Writes commands the way Redis accepts them from clients: an array of bulk strings.</summary>
public static class RespWriter
{
    // A type byte, a 64-bit length and CRLF.
    private const int MaxHeaderLength = 1 + 20 + 2;

    public static void WriteCommand(IBufferWriter<byte> output, IReadOnlyList<ReadOnlyMemory<byte>> arguments)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(arguments);
        RequireArguments(arguments.Count, nameof(arguments));

        WriteHeader(output, (byte)'*', arguments.Count);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i].Span;
            WriteHeader(output, (byte)'$', argument.Length);

            // Copied in pieces: a large value need not fit in one span of the writer.
            while (!argument.IsEmpty)
            {
                var destination = output.GetSpan();
                var length = Math.Min(destination.Length, argument.Length);
                argument[..length].CopyTo(destination);
                output.Advance(length);
                argument = argument[length..];
            }

            WriteCrlf(output);
        }
    }

    /// <summary>Writes a command whose arguments are text, encoded as UTF-8.</summary>
    public static void WriteCommand(IBufferWriter<byte> output, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(arguments);
        RequireArguments(arguments.Length, nameof(arguments));

        WriteHeader(output, (byte)'*', arguments.Length);
        foreach (var argument in arguments)
        {
            if (argument is null)
            {
                throw new ArgumentException("A command argument cannot be null.", nameof(arguments));
            }

            var length = Encoding.UTF8.GetByteCount(argument);
            WriteHeader(output, (byte)'$', length);
            if (length > 0)
            {
                var written = Encoding.UTF8.GetBytes(argument, output.GetSpan(length));
                output.Advance(written);
            }

            WriteCrlf(output);
        }
    }

    /// <summary>The bytes of a command as one array, for tests and one-off use.</summary>
    public static byte[] EncodeCommand(params string[] arguments)
    {
        var output = new ArrayBufferWriter<byte>();
        WriteCommand(output, arguments);
        return output.WrittenSpan.ToArray();
    }

    private static void RequireArguments(int count, string parameterName)
    {
        if (count == 0)
        {
            throw new ArgumentException("A command needs at least its name.", parameterName);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte type, int length)
    {
        var span = output.GetSpan(MaxHeaderLength);
        span[0] = type;
        length.TryFormat(span[1..], out var digits, provider: CultureInfo.InvariantCulture);
        "\r\n"u8.CopyTo(span[(1 + digits)..]);
        output.Advance(1 + digits + 2);
    }

    private static void WriteCrlf(IBufferWriter<byte> output)
    {
        "\r\n"u8.CopyTo(output.GetSpan(2));
        output.Advance(2);
    }
}

using System.Text;

namespace PracticePlatform.Redis.Protocol;

/// <summary>The ASCII text rules RESP uses for numbers, and a safe rendering of raw bytes for messages.</summary>
internal static class RespText
{
    /// <summary>
    /// Parses an optionally signed run of decimal digits, the form RESP uses for integers and lengths.
    /// Unlike <see cref="long.TryParse(string, out long)"/> it accepts no white space, separators or
    /// culture rules, and reports overflow separately so the error can say so.
    /// </summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value, out bool overflowed)
    {
        value = 0;
        overflowed = false;
        var negative = false;
        var index = 0;
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+')
        {
            negative = text[0] == '-';
            index = 1;
        }

        if (index == text.Length)
        {
            return false;
        }

        // Accumulate the magnitude unsigned, so long.MinValue (one larger than long.MaxValue) fits.
        var limit = negative ? (ulong)long.MaxValue + 1 : long.MaxValue;
        ulong magnitude = 0;
        for (; index < text.Length; index++)
        {
            var digit = (uint)(text[index] - '0');
            if (digit > 9)
            {
                return false;
            }

            if (magnitude > (limit - digit) / 10)
            {
                overflowed = true;
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        value = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>Renders bytes for a diagnostic message: printable ASCII as is, everything else escaped.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int maxBytes = 64)
    {
        var builder = new StringBuilder(Math.Min(bytes.Length, maxBytes) + 8);
        foreach (var b in bytes[..Math.Min(bytes.Length, maxBytes)])
        {
            switch (b)
            {
                case (byte)'\r': builder.Append("\\r"); break;
                case (byte)'\n': builder.Append("\\n"); break;
                case (byte)'\t': builder.Append("\\t"); break;
                case (byte)'\\': builder.Append("\\\\"); break;
                case (byte)'\'': builder.Append("\\'"); break;
                case (byte)'"': builder.Append("\\\""); break;
                case >= 0x20 and < 0x7F: builder.Append((char)b); break;
                default: builder.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }

        if (bytes.Length > maxBytes)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    /// <summary>One byte for a message, e.g. <c>'x' (0x78)</c> or <c>0x0d</c>.</summary>
    public static string DescribeByte(byte value) =>
        value is >= 0x21 and < 0x7F
            ? $"'{(char)value}' (0x{value:x2})"
            : $"0x{value:x2}";
}

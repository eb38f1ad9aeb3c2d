using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace PracticePlatform.Redis.Protocol;

/// <summary>
/// Reads RESP2 and RESP3 replies from a buffer that may hold only part of one, as they arrive from a socket.
/// A recursive-descent parser over <see cref="SequenceReader{T}"/>: every step either completes, reports
/// that more bytes are needed, or throws <see cref="RespProtocolException"/>. Lengths and limits are checked
/// as soon as they are read, so a bad header is refused before any payload is waited for.
/// </summary>
public static class RespParser
{
    /// <summary>Redis's own limit on a bulk string (proto-max-bulk-len).</summary>
    public const int MaxBulkLength = 512 * 1024 * 1024;

    /// <summary>Most elements an array, set or push may have, and most entries a map may have.</summary>
    public const int MaxAggregateLength = 16 * 1024 * 1024;

    /// <summary>Deepest nesting of aggregates accepted; the top-level aggregate is at depth 1.</summary>
    public const int MaxDepth = 64;

    // A sign and 19 digits hold any signed 64-bit integer.
    private const int MaxIntegerLineLength = 20;

    // Redis writes doubles with 17 significant digits; a much longer line is not a double it sent.
    private const int MaxDoubleLineLength = 128;

    private static readonly SearchValues<byte> DoubleCharacters = SearchValues.Create("0123456789+-.eE"u8);

    private static ReadOnlySpan<byte> LineEnds => "\r\n"u8;

    private static ReadOnlySpan<byte> Digits => "0123456789"u8;

    /// <summary>
    /// Parses one value from the start of <paramref name="buffer"/>. Returns false, consuming nothing, when
    /// the buffer ends before the value does: call again once more bytes have been appended.
    /// </summary>
    /// <param name="consumed">Just past the value when one was read; <c>buffer.Start</c> otherwise.</param>
    /// <exception cref="RespProtocolException">The bytes are not valid RESP; the offset in the message is from the start of the buffer.</exception>
    public static bool TryParse(ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out RespValue? value, out SequencePosition consumed)
    {
        // The first pass only checks that a whole, well-formed value is buffered and allocates nothing, so a
        // large reply arriving over many reads is not built and thrown away again on every read.
        var scan = new SequenceReader<byte>(buffer);
        if (!TryReadValue(ref scan, depth: 0, materialize: false, out _))
        {
            value = null;
            consumed = buffer.Start;
            return false;
        }

        var reader = new SequenceReader<byte>(buffer);
        var complete = TryReadValue(ref reader, depth: 0, materialize: true, out value);
        Debug.Assert(complete && value is not null && reader.Consumed == scan.Consumed, "The second pass reads exactly the bytes the first pass checked.");
        consumed = reader.Position;
        return true;
    }

    private static bool TryReadValue(ref SequenceReader<byte> reader, int depth, bool materialize, out RespValue? value)
    {
        value = null;
        var offset = reader.Consumed;
        if (!reader.TryRead(out var prefix))
        {
            return false;
        }

        switch ((char)prefix)
        {
            case '+':
                return TryReadSimple(ref reader, RespType.SimpleString, materialize, out value);
            case '-':
                return TryReadSimple(ref reader, RespType.Error, materialize, out value);
            case '(':
                return TryReadSimple(ref reader, RespType.BigNumber, materialize, out value);
            case ':':
                if (!TryReadInteger(ref reader, "integer", out var integer))
                {
                    return false;
                }

                value = materialize ? RespValue.FromInteger(integer) : null;
                return true;
            case ',':
                if (!TryReadDouble(ref reader, out var number))
                {
                    return false;
                }

                value = materialize ? RespValue.FromDouble(number) : null;
                return true;
            case '#':
                if (!TryReadBoolean(ref reader, out var flag))
                {
                    return false;
                }

                value = materialize ? RespValue.FromBoolean(flag) : null;
                return true;
            case '_':
                if (!TryReadCrlf(ref reader))
                {
                    return false;
                }

                value = materialize ? RespValue.Null : null;
                return true;
            case '$':
                return TryReadBlob(ref reader, RespType.BulkString, materialize, out value);
            case '!':
                return TryReadBlob(ref reader, RespType.BulkError, materialize, out value);
            case '=':
                return TryReadBlob(ref reader, RespType.VerbatimString, materialize, out value);
            case '*':
                return TryReadAggregate(ref reader, RespType.Array, offset, depth, materialize, out value);
            case '~':
                return TryReadAggregate(ref reader, RespType.Set, offset, depth, materialize, out value);
            case '>':
                return TryReadAggregate(ref reader, RespType.Push, offset, depth, materialize, out value);
            case '%':
                return TryReadAggregate(ref reader, RespType.Map, offset, depth, materialize, out value);
            case '|':
                throw new RespProtocolException("RESP3 attributes ('|') are not supported", offset);
            default:
                throw new RespProtocolException($"unknown type byte {RespText.DescribeByte(prefix)}", offset);
        }
    }

    private static bool TryReadSimple(ref SequenceReader<byte> reader, RespType type, bool materialize, out RespValue? value)
    {
        value = null;
        var offset = reader.Consumed;
        var what = type switch
        {
            RespType.Error => "error",
            RespType.BigNumber => "big number",
            _ => "simple string",
        };
        if (!TryReadLine(ref reader, what, MaxBulkLength, out var line))
        {
            return false;
        }

        if (type == RespType.BigNumber && !IsBigNumber(line))
        {
            throw new RespProtocolException($"invalid big number '{Preview(line)}'", offset);
        }

        value = materialize ? RespValue.FromPayload(type, line.ToArray()) : null;
        return true;
    }

    private static bool TryReadInteger(ref SequenceReader<byte> reader, string what, out long value)
    {
        value = 0;
        var offset = reader.Consumed;
        if (!TryReadLine(ref reader, what, MaxIntegerLineLength, out var line))
        {
            return false;
        }

        Span<byte> scratch = stackalloc byte[MaxIntegerLineLength];
        var text = Flatten(line, scratch);
        if (!RespText.TryParseInt64(text, out value, out var overflowed))
        {
            throw new RespProtocolException(
                overflowed
                    ? $"{what} '{RespText.Escape(text)}' does not fit in a signed 64-bit integer"
                    : $"invalid {what} '{RespText.Escape(text)}'",
                offset);
        }

        return true;
    }

    private static bool TryReadDouble(ref SequenceReader<byte> reader, out double value)
    {
        value = 0;
        var offset = reader.Consumed;
        if (!TryReadLine(ref reader, "double", MaxDoubleLineLength, out var line))
        {
            return false;
        }

        Span<byte> scratch = stackalloc byte[MaxDoubleLineLength];
        var text = Flatten(line, scratch);
        if (!TryParseDouble(text, out value))
        {
            throw new RespProtocolException($"invalid double '{RespText.Escape(text)}'", offset);
        }

        return true;
    }

    private static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        if (text.SequenceEqual("inf"u8) || text.SequenceEqual("+inf"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (text.SequenceEqual("-inf"u8))
        {
            value = double.NegativeInfinity;
            return true;
        }

        if (text.SequenceEqual("nan"u8) || text.SequenceEqual("-nan"u8))
        {
            value = double.NaN;
            return true;
        }

        // double.TryParse would also take "Infinity", "NaN" and other spellings RESP does not allow.
        if (text.ContainsAnyExcept(DoubleCharacters))
        {
            value = 0;
            return false;
        }

        const NumberStyles RespDouble = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(text, RespDouble, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryReadBoolean(ref SequenceReader<byte> reader, out bool value)
    {
        value = false;
        var offset = reader.Consumed;
        if (!reader.TryRead(out var letter))
        {
            return false;
        }

        if (letter is not ((byte)'t' or (byte)'f'))
        {
            throw new RespProtocolException($"invalid boolean {RespText.DescribeByte(letter)}, expected 't' or 'f'", offset);
        }

        value = letter == 't';
        return TryReadCrlf(ref reader);
    }

    /// <summary>Bulk strings, bulk errors and verbatim strings: a length line, then that many bytes and CRLF.</summary>
    private static bool TryReadBlob(ref SequenceReader<byte> reader, RespType type, bool materialize, out RespValue? value)
    {
        value = null;
        var kind = type switch
        {
            RespType.BulkError => "bulk error",
            RespType.VerbatimString => "verbatim string",
            _ => "bulk",
        };
        if (!TryReadLength(ref reader, kind, allowNull: type == RespType.BulkString, MaxBulkLength, out var length))
        {
            return false;
        }

        if (length == -1)
        {
            value = materialize ? RespValue.NullBulkString : null;
            return true;
        }

        var payloadOffset = reader.Consumed;
        if (reader.Remaining < length)
        {
            return false;
        }

        // "txt:" or "mkd:" comes first; the format is kept apart from the text.
        if (type == RespType.VerbatimString && (length < 4 || !reader.TryPeek(3, out var separator) || separator != ':'))
        {
            throw new RespProtocolException("verbatim string does not start with a three-letter format and ':'", payloadOffset);
        }

        var payload = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        if (!TryReadCrlf(ref reader))
        {
            return false;
        }

        if (materialize)
        {
            value = type == RespType.VerbatimString
                ? RespValue.FromVerbatimPayload(Encoding.ASCII.GetString(payload.Slice(0, 3)), payload.Slice(4).ToArray())
                : RespValue.FromPayload(type, payload.ToArray());
        }

        return true;
    }

    private static bool TryReadAggregate(ref SequenceReader<byte> reader, RespType type, long offset, int depth, bool materialize, out RespValue? value)
    {
        value = null;
        if (depth >= MaxDepth)
        {
            throw new RespProtocolException($"aggregates are nested more than {MaxDepth} deep", offset);
        }

        var kind = type.ToString().ToLowerInvariant();
        if (!TryReadLength(ref reader, kind, allowNull: type == RespType.Array, MaxAggregateLength, out var count))
        {
            return false;
        }

        if (count == -1)
        {
            value = materialize ? RespValue.NullArray : null;
            return true;
        }

        var elementCount = type == RespType.Map ? count * 2 : count;

        // Only the second pass allocates, when every element is known to be in the buffer, so a huge
        // announced length cannot make the parser allocate memory the server never sends.
        var items = materialize ? new RespValue[elementCount] : null;
        for (var i = 0; i < elementCount; i++)
        {
            if (!TryReadValue(ref reader, depth + 1, materialize, out var item))
            {
                return false;
            }

            if (items is not null)
            {
                items[i] = item!;
            }
        }

        value = items is null ? null : RespValue.FromOwnedItems(type, items);
        return true;
    }

    /// <summary>A length line: digits, or -1 for the RESP2 nulls when <paramref name="allowNull"/> is set.</summary>
    private static bool TryReadLength(ref SequenceReader<byte> reader, string kind, bool allowNull, int limit, out long length)
    {
        length = 0;
        var offset = reader.Consumed;
        if (reader.TryPeek(out var first))
        {
            if (first == '?')
            {
                throw new RespProtocolException($"streamed RESP3 {kind} values ('?' length) are not supported", offset);
            }

            if (first == '+')
            {
                throw new RespProtocolException($"invalid {kind} length: a length has no '+' sign", offset);
            }
        }

        if (!TryReadInteger(ref reader, "length", out length))
        {
            return false;
        }

        if (length < 0 && !(allowNull && length == -1))
        {
            throw new RespProtocolException($"invalid length '{length}'", offset);
        }

        if (length > limit)
        {
            throw new RespProtocolException(
                limit == MaxBulkLength
                    ? $"{kind} length {length} exceeds the {MaxBulkLength / (1024 * 1024)} MB limit"
                    : $"{kind} length {length} exceeds the limit of {limit} elements",
                offset);
        }

        return true;
    }

    /// <summary>
    /// Reads a line of a simple type. Its end is the first CR or LF, which must be a CRLF: simple types
    /// cannot contain either byte. A line already longer than <paramref name="maxLength"/> fails at once,
    /// rather than waiting for an end that could not make it valid.
    /// </summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, string what, long maxLength, out ReadOnlySequence<byte> line)
    {
        var offset = reader.Consumed;
        var available = reader.Remaining;
        var found = reader.TryReadToAny(out line, LineEnds, advancePastDelimiter: false);
        if ((found ? line.Length : available) > maxLength)
        {
            throw new RespProtocolException($"{what} is longer than {maxLength} bytes", offset);
        }

        return found && TryReadCrlf(ref reader);
    }

    private static bool TryReadCrlf(ref SequenceReader<byte> reader)
    {
        var offset = reader.Consumed;
        if (!reader.TryRead(out var first))
        {
            return false;
        }

        if (first != '\r')
        {
            throw new RespProtocolException(
                first == '\n' ? "expected CRLF, found LF without CR" : $"expected CRLF, found {RespText.DescribeByte(first)}",
                offset);
        }

        if (!reader.TryRead(out var second))
        {
            return false;
        }

        if (second != '\n')
        {
            throw new RespProtocolException($"expected CRLF, found CR followed by {RespText.DescribeByte(second)}", offset);
        }

        return true;
    }

    private static bool IsBigNumber(ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(line);
        if (reader.TryPeek(out var sign) && sign is (byte)'-' or (byte)'+')
        {
            reader.Advance(1);
        }

        return reader.AdvancePastAny(Digits) > 0 && reader.End;
    }

    private static ReadOnlySpan<byte> Flatten(ReadOnlySequence<byte> line, Span<byte> scratch)
    {
        if (line.IsSingleSegment)
        {
            return line.FirstSpan;
        }

        line.CopyTo(scratch);
        return scratch[..(int)line.Length];
    }

    private static string Preview(ReadOnlySequence<byte> line) =>
        RespText.Escape(line.Slice(0, Math.Min(line.Length, 65)).ToArray());
}

using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace PracticePlatform.Redis.Protocol;

/// <summary>
/// One reply from the server, in RESP2 or RESP3. Immutable: payloads are copied out of the network
/// buffer, so a value stays valid after the buffer is reused.
/// </summary>
public sealed class RespValue : IEquatable<RespValue>
{
    private const int ItemsShownInToString = 10;

    private RespValue(
        RespType type,
        bool isNull = false,
        long integer = 0,
        double number = 0,
        ReadOnlyMemory<byte> bytes = default,
        RespValue[]? items = null,
        string? verbatimFormat = null)
    {
        Type = type;
        IsNull = isNull;
        Integer = integer;
        Double = number;
        Bytes = bytes;
        Items = items is null || items.Length == 0 ? ReadOnlyCollection<RespValue>.Empty : new ReadOnlyCollection<RespValue>(items);
        VerbatimFormat = verbatimFormat;
    }

    /// <summary>The RESP3 null, <c>_</c>.</summary>
    public static RespValue Null { get; } = new(RespType.Null, isNull: true);

    /// <summary>The RESP2 null bulk string, <c>$-1</c>: <see cref="Type"/> stays <see cref="RespType.BulkString"/>.</summary>
    public static RespValue NullBulkString { get; } = new(RespType.BulkString, isNull: true);

    /// <summary>The RESP2 null array, <c>*-1</c>: <see cref="Type"/> stays <see cref="RespType.Array"/>.</summary>
    public static RespValue NullArray { get; } = new(RespType.Array, isNull: true);

    public RespType Type { get; }

    /// <summary>True for the RESP2 null bulk string and null array and for the RESP3 null.</summary>
    public bool IsNull { get; }

    public bool IsError => Type is RespType.Error or RespType.BulkError;

    /// <summary>The value of an <see cref="RespType.Integer"/>, or 1/0 for a <see cref="RespType.Boolean"/>; 0 otherwise.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the RESP type it holds.")]
    public long Integer { get; }

    /// <summary>The value of a <see cref="RespType.Double"/>; 0 otherwise.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the RESP type it holds.")]
    public double Double { get; }

    /// <summary>
    /// The payload of a simple string, error, bulk string, big number (its digits), bulk error or verbatim
    /// string (the text after the <c>txt:</c> prefix, see <see cref="VerbatimFormat"/>); empty otherwise.
    /// </summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>
    /// The elements of an array, set or push; a map's entries flattened as key, value, key, value;
    /// empty for anything else.
    /// </summary>
    public IReadOnlyList<RespValue> Items { get; }

    /// <summary>The three-letter format of a verbatim string (<c>txt</c>, <c>mkd</c>); null for other types.</summary>
    public string? VerbatimFormat { get; }

    /// <summary>The message of an error or bulk error, e.g. <c>ERR unknown command</c>; empty for other types.</summary>
    public string ErrorMessage => IsError ? Encoding.UTF8.GetString(Bytes.Span) : string.Empty;

    public static RespValue SimpleString(string text) => FromText(RespType.SimpleString, text);

    public static RespValue Error(string message) => FromText(RespType.Error, message);

    public static RespValue BulkError(string message) => FromText(RespType.BulkError, message);

    public static RespValue BulkString(string text) => FromText(RespType.BulkString, text);

    public static RespValue BulkString(ReadOnlySpan<byte> bytes) => new(RespType.BulkString, bytes: bytes.ToArray());

    public static RespValue BigNumber(string digits) => FromText(RespType.BigNumber, digits);

    public static RespValue VerbatimString(string format, string text)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.Length != 3)
        {
            throw new ArgumentException("A verbatim string format is exactly three characters, e.g. \"txt\".", nameof(format));
        }

        ArgumentNullException.ThrowIfNull(text);
        return new(RespType.VerbatimString, bytes: Encoding.UTF8.GetBytes(text), verbatimFormat: format);
    }

    public static RespValue FromInteger(long value) => new(RespType.Integer, integer: value);

    public static RespValue FromDouble(double value) => new(RespType.Double, number: value);

    public static RespValue FromBoolean(bool value) => new(RespType.Boolean, integer: value ? 1 : 0);

    public static RespValue Array(params RespValue[] items) => FromItems(RespType.Array, items);

    public static RespValue Set(params RespValue[] items) => FromItems(RespType.Set, items);

    public static RespValue Push(params RespValue[] items) => FromItems(RespType.Push, items);

    public static RespValue Map(params (RespValue Key, RespValue Value)[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var items = new RespValue[entries.Length * 2];
        for (var i = 0; i < entries.Length; i++)
        {
            items[2 * i] = entries[i].Key ?? throw new ArgumentException("A map key cannot be a null reference; use RespValue.Null.", nameof(entries));
            items[(2 * i) + 1] = entries[i].Value ?? throw new ArgumentException("A map value cannot be a null reference; use RespValue.Null.", nameof(entries));
        }

        return new(RespType.Map, items: items);
    }

    /// <summary>
    /// The value as text: the UTF-8 payload of string-like types, an integer, boolean or double written out,
    /// null for a null. Aggregates have no single text and throw <see cref="InvalidCastException"/>.
    /// </summary>
    public string? AsString()
    {
        if (IsNull)
        {
            return null;
        }

        return Type switch
        {
            RespType.Integer => Integer.ToString(CultureInfo.InvariantCulture),
            RespType.Boolean => Integer != 0 ? "true" : "false",
            RespType.Double => FormatDouble(Double),
            RespType.Array or RespType.Set or RespType.Map or RespType.Push =>
                throw new InvalidCastException($"A RESP {Type} of {Items.Count} elements cannot be read as a string."),
            _ => Encoding.UTF8.GetString(Bytes.Span),
        };
    }

    /// <summary>
    /// The value as a 64-bit integer: an integer or boolean as is, or a simple string, bulk string or big
    /// number holding decimal digits (Redis returns counters from GET as bulk strings). Anything else
    /// throws <see cref="InvalidCastException"/>.
    /// </summary>
    public long AsInt64()
    {
        if (IsNull)
        {
            throw new InvalidCastException($"A null RESP {Type} cannot be read as a 64-bit integer.");
        }

        switch (Type)
        {
            case RespType.Integer or RespType.Boolean:
                return Integer;
            case RespType.SimpleString or RespType.BulkString or RespType.BigNumber:
                if (RespText.TryParseInt64(Bytes.Span, out var value, out var overflowed))
                {
                    return value;
                }

                var problem = overflowed ? "is outside the 64-bit integer range" : "is not a decimal integer";
                throw new InvalidCastException($"The RESP {Type} '{RespText.Escape(Bytes.Span)}' {problem}.");
            case RespType.Error or RespType.BulkError:
                throw new InvalidCastException($"The server replied with an error, not an integer: {RespText.Escape(Bytes.Span, 200)}");
            default:
                throw new InvalidCastException($"A RESP {Type} cannot be read as a 64-bit integer.");
        }
    }

    public bool Equals(RespValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null
            || Type != other.Type
            || IsNull != other.IsNull
            || Integer != other.Integer
            || !Double.Equals(other.Double)
            || VerbatimFormat != other.VerbatimFormat
            || !Bytes.Span.SequenceEqual(other.Bytes.Span)
            || Items.Count != other.Items.Count)
        {
            return false;
        }

        for (var i = 0; i < Items.Count; i++)
        {
            if (!Items[i].Equals(other.Items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as RespValue);

    public override int GetHashCode() => HashCode.Combine(Type, IsNull, Integer, Double, Bytes.Length, Items.Count);

    /// <summary>A short description for logs and test failures, e.g. <c>Array(2) [BulkString "a", Integer 1]</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Describe(builder);
        return builder.ToString();
    }

    internal static RespValue FromPayload(RespType type, byte[] payload) => new(type, bytes: payload);

    internal static RespValue FromVerbatimPayload(string format, byte[] text) =>
        new(RespType.VerbatimString, bytes: text, verbatimFormat: format);

    /// <summary>Takes ownership of <paramref name="items"/> without copying; for the parser.</summary>
    internal static RespValue FromOwnedItems(RespType type, RespValue[] items) => new(type, items: items);

    private static RespValue FromText(RespType type, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(type, bytes: Encoding.UTF8.GetBytes(text));
    }

    private static RespValue FromItems(RespType type, RespValue[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Any(static item => item is null))
        {
            throw new ArgumentException("An element cannot be a null reference; use RespValue.Null.", nameof(items));
        }

        // Copied so the caller's array cannot change this value later.
        return new(type, items: [.. items]);
    }

    private static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private void Describe(StringBuilder builder)
    {
        if (IsNull)
        {
            builder.Append(Type == RespType.Null ? "Null" : $"Null{Type}");
            return;
        }

        builder.Append(Type);
        switch (Type)
        {
            case RespType.Integer:
                builder.Append(' ').Append(Integer.ToString(CultureInfo.InvariantCulture));
                break;
            case RespType.Boolean:
                builder.Append(Integer != 0 ? " true" : " false");
                break;
            case RespType.Double:
                builder.Append(' ').Append(FormatDouble(Double));
                break;
            case RespType.Array or RespType.Set or RespType.Map or RespType.Push:
                builder.Append('(').Append(Type == RespType.Map ? Items.Count / 2 : Items.Count).Append(") [");
                for (var i = 0; i < Math.Min(Items.Count, ItemsShownInToString); i++)
                {
                    builder.Append(i == 0 ? string.Empty : Type == RespType.Map && i % 2 == 1 ? ": " : ", ");
                    Items[i].Describe(builder);
                }

                builder.Append(Items.Count > ItemsShownInToString ? ", ...]" : "]");
                break;
            case RespType.VerbatimString:
                builder.Append(' ').Append(VerbatimFormat).Append(" \"").Append(RespText.Escape(Bytes.Span)).Append('"');
                break;
            default:
                builder.Append(" \"").Append(RespText.Escape(Bytes.Span)).Append('"');
                break;
        }
    }
}

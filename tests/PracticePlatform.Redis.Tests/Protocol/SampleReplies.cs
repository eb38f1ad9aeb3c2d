using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis.Tests.Protocol;

/// <summary>A realistic run of replies, as a server would send them back to back, with what each one means.</summary>
internal static class SampleReplies
{
    public static IReadOnlyList<(string Wire, RespValue Value)> Mixed { get; } =
    [
        ("+OK\r\n", RespValue.SimpleString("OK")),
        ("-ERR unknown command 'FOO'\r\n", RespValue.Error("ERR unknown command 'FOO'")),
        (":1000\r\n", RespValue.FromInteger(1000)),
        (":-42\r\n", RespValue.FromInteger(-42)),
        (
            "*3\r\n$3\r\nfoo\r\n*2\r\n$0\r\n\r\n:7\r\n$-1\r\n",
            RespValue.Array(
                RespValue.BulkString("foo"),
                RespValue.Array(RespValue.BulkString(""), RespValue.FromInteger(7)),
                RespValue.NullBulkString)
        ),
        ("$-1\r\n", RespValue.NullBulkString),
        ("*-1\r\n", RespValue.NullArray),
        ("$8\r\na\r\nb\0\r\xff\n\r\n", RespValue.BulkString(Wire.Bytes("a\r\nb\0\r\xff\n"))),
        (
            "%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n*2\r\n#t\r\n_\r\n",
            RespValue.Map(
                (RespValue.SimpleString("first"), RespValue.FromInteger(1)),
                (RespValue.BulkString("second"), RespValue.Array(RespValue.FromBoolean(true), RespValue.Null)))
        ),
        ("_\r\n", RespValue.Null),
        (",3.14\r\n", RespValue.FromDouble(3.14)),
        ("(3492890328409238509324850943850943825024385\r\n", RespValue.BigNumber("3492890328409238509324850943850943825024385")),
        ("=15\r\ntxt:Some string\r\n", RespValue.VerbatimString("txt", "Some string")),
        ("!21\r\nSYNTAX invalid syntax\r\n", RespValue.BulkError("SYNTAX invalid syntax")),
        (
            ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n",
            RespValue.Push(RespValue.BulkString("message"), RespValue.BulkString("news"), RespValue.BulkString("hello"))
        ),
        ("~2\r\n:1\r\n:2\r\n", RespValue.Set(RespValue.FromInteger(1), RespValue.FromInteger(2))),
        ("#f\r\n", RespValue.FromBoolean(false)),
    ];

    public static byte[] Stream { get; } = Wire.Bytes(string.Concat(Mixed.Select(reply => reply.Wire)));

    public static IReadOnlyList<RespValue> Values { get; } = Mixed.Select(reply => reply.Value).ToList();

    /// <summary>The offset just past each reply in <see cref="Stream"/>.</summary>
    public static IReadOnlyList<long> Ends { get; } = CumulativeLengths();

    private static List<long> CumulativeLengths()
    {
        var ends = new List<long>();
        long end = 0;
        foreach (var (wire, _) in Mixed)
        {
            end += Wire.Bytes(wire).Length;
            ends.Add(end);
        }

        return ends;
    }
}

using System.Diagnostics.CodeAnalysis;

namespace PracticePlatform.Redis.Protocol;

/// <summary>The kind of a RESP2 or RESP3 value, named as in the protocol specification.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Integer and Double are the specification's names.")]
public enum RespType
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
    Boolean,
    Double,
    BigNumber,
    Map,
    Set,
    Push,
    VerbatimString,
    BulkError,
}

namespace PracticePlatform.Redis.Protocol;

/// <summary>
/// The bytes from the server are not valid RESP. The stream cannot be resynchronised after this, so the
/// connection that read them has to be dropped.
/// </summary>
public class RespProtocolException : Exception
{
    public RespProtocolException()
    {
    }

    public RespProtocolException(string message)
        : base(message)
    {
    }

    public RespProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal RespProtocolException(string problem, long offset)
        : base($"{problem} at offset {offset}")
    {
        Offset = offset;
    }

    /// <summary>Where the problem was found, counted in bytes from the start of the buffer given to the parser.</summary>
    public long? Offset { get; }
}

namespace PracticePlatform.Redis;

/// <summary>Anything that went wrong talking to Redis.</summary>
public class RedisException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The server could not be reached, or the connection dropped before the reply arrived. The command may or
/// may not have run.</summary>
public sealed class RedisConnectionException(string message, Exception? inner = null) : RedisException(message, inner);

/// <summary>No reply within the command timeout. The command may still run.</summary>
public sealed class RedisTimeoutException(string message) : RedisException(message);

/// <summary>The server answered with an error (<c>-ERR ...</c>, <c>-WRONGTYPE ...</c>, <c>-NOSCRIPT ...</c>).</summary>
public sealed class RedisServerException(string command, string error) : RedisException($"Redis {command}: {error}")
{
    public string Command { get; } = command;

    /// <summary>The error's first word, e.g. ERR, WRONGTYPE, NOSCRIPT, BUSYGROUP, NOGROUP.</summary>
    public string Kind { get; } = error.Split(' ', 2)[0];
}

using System.Globalization;
using System.Text;

namespace PracticePlatform.Redis;

/// <summary>One command and its arguments, binary-safe, as sent to the server.</summary>
public sealed class RedisCommand
{
    private readonly List<ReadOnlyMemory<byte>> _arguments = [];

    public RedisCommand(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.ToUpperInvariant();
        _arguments.Add(Encoding.UTF8.GetBytes(Name));
    }

    /// <summary>The command's name (and sub-command, for the span name: "XGROUP CREATE").</summary>
    public string Name { get; private set; }

    public IReadOnlyList<ReadOnlyMemory<byte>> Arguments => _arguments;

    /// <summary>Overrides the connection's command timeout, for commands that wait on purpose (XREADGROUP BLOCK).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>SUBSCRIBE-style commands are confirmed by a push message rather than a reply.</summary>
    internal bool ConfirmedByPush { get; init; }

    public RedisCommand Add(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _arguments.Add(Encoding.UTF8.GetBytes(value));
        return this;
    }

    public RedisCommand Add(long value) => Add(value.ToString(CultureInfo.InvariantCulture));

    public RedisCommand Add(ReadOnlyMemory<byte> value)
    {
        _arguments.Add(value);
        return this;
    }

    /// <summary>Adds a sub-command and names the span after both ("XGROUP CREATE").</summary>
    public RedisCommand Sub(string subCommand)
    {
        Add(subCommand.ToUpperInvariant());
        Name = $"{Name} {subCommand.ToUpperInvariant()}";
        return this;
    }

    public override string ToString() => Name;
}

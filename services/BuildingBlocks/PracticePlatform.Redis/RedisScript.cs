using System.Security.Cryptography;
using System.Text;

namespace PracticePlatform.Redis;

/// <summary>A Lua script run atomically on the server, addressed by its SHA-1 once the server has it.</summary>
public sealed class RedisScript(string source)
{
    public string Source { get; } = source ?? throw new ArgumentNullException(nameof(source));

#pragma warning disable CA5350 // Redis names scripts by their SHA-1 (EVALSHA); this is an identifier, not security.
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
#pragma warning restore CA5350
}

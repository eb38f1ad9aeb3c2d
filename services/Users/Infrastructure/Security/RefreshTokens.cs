using System.Security.Cryptography;
using System.Text;

namespace PracticePlatform.Users.Infrastructure.Security;

/// <summary>Refresh tokens and one-time tokens: 256 random bits for the holder, only a SHA-256 hash in the database
/// (a stolen table yields nothing usable; a hash, not a slow one, because the secret itself is random).</summary>
public static class OpaqueTokens
{
    public static (string Token, string Hash) Create()
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

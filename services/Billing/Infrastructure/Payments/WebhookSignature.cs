using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PracticePlatform.Billing.Infrastructure;

public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    OutsideTolerance,
    Mismatch,
}

/// <summary>
/// Stripe's scheme: the header <c>PracticePlatform-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where the hex is
/// HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;" under the provider's shared secret. Several v1 values may be sent (while a
/// secret is rotated); one matching is enough. Compared in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "PracticePlatform-Signature";

    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                return SignatureCheck.Malformed;
            }

            var name = part[..separator];
            var value = part[(separator + 1)..];
            if (name == "t")
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                {
                    return SignatureCheck.Malformed;
                }

                timestamp = t;
            }
            else if (name == "v1")
            {
                try
                {
                    signatures.Add(Convert.FromHexString(value));
                }
                catch (FormatException)
                {
                    return SignatureCheck.Malformed;
                }
            }
        }

        if (timestamp is not { } seconds || signatures.Count == 0)
        {
            return SignatureCheck.Malformed;
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if ((now - signedAt).Duration() > tolerance)
        {
            return SignatureCheck.OutsideTolerance;
        }

        var expected = Compute(seconds, body, secret);
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(s, expected)) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The header value a provider would send (tests and the .http file's helper use it).</summary>
    public static string Header(long timestamp, ReadOnlySpan<byte> body, string secret) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(Compute(timestamp, body, secret))}");

    private static byte[] Compute(long timestamp, ReadOnlySpan<byte> body, string secret)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}."));
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}

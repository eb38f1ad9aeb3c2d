using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace PracticePlatform.Redis;

/// <summary>
/// Where and how to connect, parsed from the connection string Aspire injects
/// (<c>host:port,password=...,ssl=true</c>) plus the StackExchange.Redis-style keys people expect.
/// </summary>
public sealed record RedisOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 6379;

    public string? User { get; init; }

    public string? Password { get; init; }

    public bool Ssl { get; init; }

    /// <summary>The name the server certificate must carry; defaults to <see cref="Host"/>.</summary>
    public string? SslHost { get; init; }

    /// <summary>
    /// With <see cref="Ssl"/>: the root certificates (e.g. a private CA) the server's certificate must chain to,
    /// instead of the system's trust store. The name is checked either way. <c>null</c> (the default) means the
    /// system's normal validation. Not part of the connection string; set it in code.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    public int Database { get; init; }

    /// <summary>Shown by CLIENT LIST, so an operator can tell the platform's connections apart.</summary>
    public string? ClientName { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one command may take before the caller gets a <see cref="RedisTimeoutException"/>.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between reconnection attempts (they start at 50 ms and double, with jitter).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => $"{Endpoint}{(Ssl ? " (TLS)" : string.Empty)}";

    /// <summary>Parses <c>host[:port][,key=value]*</c>. Of several endpoints, the first is used.</summary>
    public static RedisOptions Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        string? host = null;
        var port = 6379;
        string? user = null, password = null, sslHost = null, name = null;
        bool ssl = false;
        var database = 0;
        var connectTimeout = TimeSpan.FromSeconds(5);
        var commandTimeout = TimeSpan.FromSeconds(5);

        foreach (var part in connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (host is null)
                {
                    (host, port) = ParseEndpoint(part);
                }

                continue;
            }

            var key = part[..equals].Trim().ToLowerInvariant();
            var value = part[(equals + 1)..].Trim();
            switch (key)
            {
                case "password": password = value; break;
                case "user": user = value; break;
                case "ssl": ssl = ParseBool(key, value); break;
                case "sslhost": sslHost = value; break;
                case "name": name = value; break;
                case "defaultdatabase": database = ParseInt(key, value); break;
                case "connecttimeout": connectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value)); break;
                case "synctimeout" or "asynctimeout": commandTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value)); break;
                default: break; // abortConnect, allowAdmin, ...: meaningful to other clients, harmless here.
            }
        }

        return new RedisOptions
        {
            Host = host ?? throw new FormatException($"The Redis connection string names no host:port ('{Redact(connectionString)}')."),
            Port = port,
            User = user,
            Password = password,
            Ssl = ssl,
            SslHost = sslHost,
            Database = database,
            ClientName = name,
            ConnectTimeout = connectTimeout,
            CommandTimeout = commandTimeout,
        };
    }

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        // [::1]:6379, host:6379, host
        if (endpoint.StartsWith('['))
        {
            var close = endpoint.IndexOf(']', StringComparison.Ordinal);
            var address = endpoint[1..close];
            return endpoint.Length > close + 2 ? (address, ParseInt("port", endpoint[(close + 2)..])) : (address, 6379);
        }

        var colon = endpoint.LastIndexOf(':');
        return colon > 0 ? (endpoint[..colon], ParseInt("port", endpoint[(colon + 1)..])) : (endpoint, 6379);
    }

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
            ? parsed
            : throw new FormatException($"The Redis connection string's '{key}' must be a whole number, not '{value}'.");

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var parsed)
            ? parsed
            : throw new FormatException($"The Redis connection string's '{key}' must be true or false, not '{value}'.");

    private static string Redact(string connectionString) =>
        string.Join(',', connectionString.Split(',').Select(p => p.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=***" : p));
}

using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PracticePlatform.NativeHosting;

public sealed record RedisServerOptions
{
    /// <summary>Folder for the append-only file (when persistent) and the log.</summary>
    public required string Directory { get; init; }

    public required int Port { get; init; }

    public required string Password { get; init; }

    /// <summary>Keep data across restarts with the append-only file; off for throwaway test servers.</summary>
    public bool Persistent { get; init; }

    /// <summary>Serve TLS only (on <see cref="Port"/>, no plain-text port); <c>null</c> for plain TCP.</summary>
    public RedisTlsOptions? Tls { get; init; }
}

/// <summary>PEM files for a TLS redis-server. Clients are not asked for certificates.</summary>
/// <param name="CertificateFile">The server's certificate (<c>--tls-cert-file</c>).</param>
/// <param name="KeyFile">Its private key, unencrypted (<c>--tls-key-file</c>).</param>
/// <param name="CaCertificateFile">The CA that issued it (<c>--tls-ca-cert-file</c>); the readiness check trusts only it.</param>
public sealed record RedisTlsOptions(string CertificateFile, string KeyFile, string CaCertificateFile);

/// <summary>A native redis-server (Debian's package) on loopback with a password, owned as a child process.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly RedisServerOptions _options;
    private readonly ChildProcess _process;

    private RedisServer(RedisServerOptions options, ChildProcess process)
    {
        _options = options;
        _process = process;
    }

    public int Port => _options.Port;

    public string LogFile => Path.Combine(_options.Directory, "redis.log");

    /// <summary>The connection string in the format Aspire injects: <c>host:port,password=...</c>, with
    /// <c>,ssl=true</c> when it serves TLS.</summary>
    public string ConnectionString => $"127.0.0.1:{_options.Port},password={_options.Password}{(_options.Tls is null ? string.Empty : ",ssl=true")}";

    public static async Task<RedisServer> StartAsync(RedisServerOptions options, CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable();
        System.IO.Directory.CreateDirectory(options.Directory);
        Ports.EnsureFree(options.Port, "Redis");

        var port = options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] listen = options.Tls is { } tls
            ?
            [
                "--port", "0",
                "--tls-port", port,
                "--tls-cert-file", tls.CertificateFile,
                "--tls-key-file", tls.KeyFile,
                "--tls-ca-cert-file", tls.CaCertificateFile,
                "--tls-auth-clients", "no",
            ]
            : ["--port", port];

        var process = ChildProcess.Start(
            "redis",
            executable,
            [
                "--bind", "127.0.0.1",
                .. listen,
                "--requirepass", options.Password,
                "--dir", options.Directory,
                "--appendonly", options.Persistent ? "yes" : "no",
                "--save", string.Empty,
                "--daemonize", "no",
                "--logfile", string.Empty,
            ],
            options.Directory,
            logFile: Path.Combine(options.Directory, "redis.log"));

        var server = new RedisServer(options, process);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (!_options.Persistent)
        {
            try
            {
                System.IO.Directory.Delete(_options.Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new PlatformStartException($"redis-server exited at start (code {_process.ExitCode}):{Environment.NewLine}{_process.Tail()}");
            }

            if (await PingAsync(cancellationToken))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new PlatformStartException($"redis-server did not answer PING on port {_options.Port} within 15 s:{Environment.NewLine}{_process.Tail()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", _options.Port, cancellationToken);
            await using var stream = await OpenStreamAsync(client, cancellationToken);
            var command = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(_options.Password)}\r\n{_options.Password}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command), cancellationToken);
            var buffer = new byte[64];
            var received = new StringBuilder();
            while (!received.ToString().Contains("+PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0 || received.Length > 1024)
                {
                    return false;
                }

                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
                if (received.ToString().StartsWith('-'))
                {
                    return false;
                }
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task<Stream> OpenStreamAsync(TcpClient client, CancellationToken cancellationToken)
    {
        if (_options.Tls is not { } tls)
        {
            return client.GetStream();
        }

        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPemFile(tls.CaCertificateFile);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trusted);
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", CertificateChainPolicy = policy }, cancellationToken);
            return ssl;
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync();
            throw new PlatformStartException(
                $"redis-server's TLS certificate ({tls.CertificateFile}) is not valid for 127.0.0.1 under the CA {tls.CaCertificateFile}: {ex.Message}", ex);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private static string FindExecutable()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(d => Path.Combine(d, "redis-server"))
            .FirstOrDefault(File.Exists);
        return found ?? throw new PlatformStartException("redis-server was not found on PATH. Install it with: apt-get install -y redis-server");
    }
}

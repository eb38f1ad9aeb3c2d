using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.Redis.Tests.Client;

/// <summary>The client against a real redis-server that serves only TLS (password on), with a certificate for
/// 127.0.0.1/localhost issued by a throwaway CA that only the test trusts.</summary>
public sealed class RedisTlsTests(RedisTlsFixture tls) : IClassFixture<RedisTlsFixture>, IAsyncLifetime
{
    private RedisClient _client = null!;
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";

    public Task InitializeAsync()
    {
        _client = new RedisClient(tls.TrustingOptions);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private string Key(string name) => _prefix + name;

    [Fact]
    public void The_server_offers_only_TLS_in_the_Aspire_connection_string_format()
    {
        tls.Server.ConnectionString.Should().Be($"127.0.0.1:{tls.Server.Port},password={tls.Password},ssl=true");
        tls.TrustingOptions.Ssl.Should().BeTrue();
    }

    [Fact]
    public async Task Strings_are_set_and_read_over_TLS_when_the_CA_is_trusted()
    {
        (await _client.SetAsync(Key("greeting"), "hello over TLS", TimeSpan.FromMinutes(1))).Should().BeTrue();

        (await _client.GetAsync(Key("greeting"))).Should().Be("hello over TLS");
        (await _client.GetAsync(Key("never-set"))).Should().BeNull();
        _client.Connection.IsConnected.Should().BeTrue();
    }

    [Fact]
    public async Task Stream_entries_are_added_ranged_and_read_by_a_group_on_a_dedicated_TLS_connection()
    {
        var stream = Key("stream");
        await _client.StreamCreateGroupAsync(stream, "g", "$");
        await using var dedicated = _client.CreateDedicated("reader");
        var read = dedicated.StreamReadGroupAsync(stream, "g", "c", count: 1, block: TimeSpan.FromSeconds(5));
        await Task.Delay(100);

        var first = await _client.StreamAddAsync(stream, [new("type", "UserRegistered"), new("n", "1")]);
        var second = await _client.StreamAddAsync(stream, [new("type", "UserRegistered"), new("n", "2")]);

        var range = await _client.StreamRangeAsync(stream);
        range.Select(e => e.Id).Should().Equal(first, second);
        range[1].Fields.Should().Contain("n", "2");
        (await read).Single().Id.Should().Be(first, "the dedicated connection trusts the same CA");
    }

    [Fact]
    public async Task Published_messages_reach_a_subscriber_over_TLS()
    {
        var received = new List<string>();
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await _client.SubscribeAsync(Key("channel"), (message, _) =>
        {
            lock (received)
            {
                received.Add(message);
                if (received.Count == 5)
                {
                    allArrived.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });
        await using var publisher = new RedisClient(tls.TrustingOptions);

        for (var i = 0; i < 5; i++)
        {
            (await publisher.PublishAsync(Key("channel"), $"m{i}")).Should().Be(1);
        }

        await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
        received.Should().Equal("m0", "m1", "m2", "m3", "m4");
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_CA_is_refused_at_once_with_a_certificate_error()
    {
        await using var sceptic = new RedisClient(RedisOptions.Parse(tls.Server.ConnectionString));
        var stopwatch = Stopwatch.StartNew();

        var act = () => sceptic.PingAsync();

        (await act.Should().ThrowAsync<RedisConnectionException>()).Which.Message
            .Should().Contain("TLS").And.Contain("certificate").And.Contain("UntrustedRoot");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "an untrusted certificate is not retried until the timeout");
    }

    [Fact]
    public async Task A_client_trusting_another_CA_is_refused()
    {
        using var otherAuthority = ThrowawayCertificateAuthority.CreateAuthority("CN=Some other CA");
        using var otherPublic = X509CertificateLoader.LoadCertificate(otherAuthority.RawData);
        await using var misled = new RedisClient(RedisOptions.Parse(tls.Server.ConnectionString) with { TrustedCertificates = [otherPublic] });

        var act = () => misled.PingAsync();

        (await act.Should().ThrowAsync<RedisConnectionException>()).Which.Message.Should().Contain("certificate");
    }

    [Fact]
    public async Task A_trusted_CA_does_not_excuse_a_certificate_for_another_name()
    {
        await using var client = new RedisClient(tls.TrustingOptions with { SslHost = "redis.example.com" });

        var act = () => client.PingAsync();

        (await act.Should().ThrowAsync<RedisConnectionException>()).Which.Message.Should().Contain("RemoteCertificateNameMismatch");
    }

    [Fact]
    public async Task A_plain_text_client_on_the_TLS_port_fails_within_its_timeout_instead_of_hanging()
    {
        var plain = RedisOptions.Parse(tls.Server.ConnectionString) with
        {
            Ssl = false,
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
            CommandTimeout = TimeSpan.FromMilliseconds(500),
        };
        await using var client = new RedisClient(plain);
        var stopwatch = Stopwatch.StartNew();

        var act = () => client.PingAsync();

        (await act.Should().ThrowAsync<RedisException>()).Which.Message.Should().Contain($"127.0.0.1:{tls.Server.Port}");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }
}

/// <summary>A throwaway redis-server serving only TLS, its certificate and CA written as PEM files into its
/// directory, all removed afterwards.</summary>
public sealed class RedisTlsFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private X509Certificate2Collection _trusted = [];

    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis TLS fixture has not started.");

    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The server's connection string, trusting the throwaway CA (loaded from its PEM file, as an
    /// application would).</summary>
    public RedisOptions TrustingOptions => RedisOptions.Parse(Server.ConnectionString) with { TrustedCertificates = _trusted };

    public async Task InitializeAsync()
    {
        var directory = TestDirectories.Create("redis-tls");
        var files = ThrowawayCertificateAuthority.WriteServerFiles(directory);
        _trusted = [];
        _trusted.ImportFromPemFile(files.CaCertificateFile);
        _server = await RedisServer.StartAsync(new RedisServerOptions
        {
            Directory = directory,
            Port = Ports.GetFree(),
            Password = Password,
            Tls = files,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        foreach (var certificate in _trusted)
        {
            certificate.Dispose();
        }
    }
}

/// <summary>A CA made up for one test run (its key never leaves memory) and a server certificate it issues.</summary>
internal static class ThrowawayCertificateAuthority
{
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
    private static readonly DateTimeOffset NotAfter = DateTimeOffset.UtcNow.AddDays(1);

    /// <summary>A self-signed CA certificate with its private key.</summary>
    public static X509Certificate2 CreateAuthority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(NotBefore, NotAfter);
    }

    /// <summary>Writes <c>ca.pem</c>, <c>server.pem</c> (for 127.0.0.1 and localhost) and <c>server-key.pem</c>.</summary>
    public static RedisTlsOptions WriteServerFiles(string directory)
    {
        using var authority = CreateAuthority("CN=PracticePlatform throwaway test CA");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        using var server = request.Create(authority, NotBefore, NotAfter, serial);

        var files = new RedisTlsOptions(
            CertificateFile: Path.Combine(directory, "server.pem"),
            KeyFile: Path.Combine(directory, "server-key.pem"),
            CaCertificateFile: Path.Combine(directory, "ca.pem"));
        File.WriteAllText(files.CaCertificateFile, authority.ExportCertificatePem());
        File.WriteAllText(files.CertificateFile, server.ExportCertificatePem());
        File.WriteAllText(files.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return files;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.Users.Tests;

/// <summary>E-mail over real SMTP: Python's standard-library debugging SMTP server (on every machine that runs
/// these tests) receives what the service sends and prints it.</summary>
[Collection(ServersCollection.Name)]
public sealed class SmtpDeliveryTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly UsersFactory _factory = new(servers);
    private readonly StringBuilder _received = new();
    private readonly int _port = Ports.GetFree();
    private Process _smtp = null!;

    public async Task InitializeAsync()
    {
        _smtp = Process.Start(new ProcessStartInfo("python3", $"-u -W ignore -m smtpd -n -c DebuggingServer 127.0.0.1:{_port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _smtp.OutputDataReceived += (_, line) =>
        {
            lock (_received)
            {
                _received.AppendLine(line.Data);
            }
        };
        _smtp.BeginOutputReadLine();
        await WaitForPortAsync();

        _factory.Settings["Mail:Smtp:Host"] = "127.0.0.1";
        _factory.Settings["Mail:Smtp:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _factory.Settings["Mail:Smtp:UseTls"] = "false";
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _smtp.Kill(entireProcessTree: true);
        await _smtp.WaitForExitAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task With_an_SMTP_server_configured_the_verification_email_is_sent_over_SMTP_and_not_to_the_mailbox_folder()
    {
        var client = _factory.CreateClient();
        var email = $"smtp.{Guid.NewGuid():N}@example.org";

        var response = await client.PostAsJsonAsync("/v1/users/register", new { email, password = "stethoscope-lanyard-42", displayName = "Sam Smtp", institutionCode = "DEMO" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string received;
        while (!(received = Received()).Contains(email, StringComparison.Ordinal))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the SMTP server should receive the e-mail; it printed: " + received);
            await Task.Delay(100);
        }

        received.Should().Contain("Subject: Confirm your e-mail address for PracticePlatform");
        received.Should().Contain("verify-email?token=");
        Directory.EnumerateFiles(_factory.MailboxDirectory).Should().BeEmpty();
    }

    private string Received()
    {
        lock (_received)
        {
            return _received.ToString();
        }
    }

    private async Task WaitForPortAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_smtp.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.SystemTests;

/// <summary>The runner behind ./run.sh, as a process: the table it prints, Ctrl-C, and its start-up errors.</summary>
public sealed class RunnerTests
{
    private static string RunnerAssembly => Path.Combine(
        RepositoryRoot.Path, "tools", "PracticePlatform.Runner", "bin", ThrowawayPlatform.BuildConfiguration, "net10.0", "PracticePlatform.Runner.dll");

    [Fact]
    public async Task The_runner_prints_every_resource_healthy_and_SIGTERM_leaves_nothing_running()
    {
        var state = TestDirectories.Create("runner");
        var offset = ThrowawayPlatform.FreePortOffset();
        using var runner = StartRunner(state, offset);
        var output = new OutputCollector(runner);

        await output.WaitForAsync("Press Ctrl-C", TimeSpan.FromSeconds(120));

        var table = output.Text;
        foreach (var service in PlatformTopology.Services)
        {
            table.Should().MatchRegex($@"{service.Name}\s+│\s+http://localhost:{service.Port + offset}\s+│\s+healthy");
        }

        table.Should().Contain($"127.0.0.1:{PlatformTopology.PostgresPort + offset}").And.Contain($"127.0.0.1:{PlatformTopology.RedisPort + offset}");

        // SIGTERM: a background job may have SIGINT ignored, as shells arrange; Ctrl-C takes the same path in the runner.
        Posix.Signal(runner.Id, Posix.SigTerm).Should().BeTrue();
        (await WaitForExitAsync(runner, TimeSpan.FromSeconds(60))).Should().BeTrue("the runner stops on SIGTERM");
        runner.ExitCode.Should().Be(0, output.Text);

        ProcessesMentioning(state).Should().BeEmpty("postgres and redis run with their data under {0}", state);
        foreach (var port in PlatformTopology.Services.Select(s => s.Port)
                     .Append(PlatformTopology.PostgresPort).Append(PlatformTopology.RedisPort).Select(p => p + offset))
        {
            Ports.IsFree(port).Should().BeTrue($"port {port} is released");
        }

        Directory.Delete(state, recursive: true);
    }

    [Fact]
    public async Task A_port_already_in_use_stops_the_runner_with_a_message_naming_it()
    {
        var state = TestDirectories.Create("runner-busy");
        var offset = ThrowawayPlatform.FreePortOffset();
        var busyPort = PlatformTopology.Service("content").Port + offset;
        using var squatter = new TcpListener(IPAddress.Loopback, busyPort);
        squatter.Start();

        using var runner = StartRunner(state, offset);
        var output = new OutputCollector(runner);

        (await WaitForExitAsync(runner, TimeSpan.FromSeconds(60))).Should().BeTrue("the runner gives up instead of hanging");
        runner.ExitCode.Should().Be(1);
        output.Text.Should().Contain($"Port {busyPort}").And.Contain("content").And.Contain("already in use");
        ProcessesMentioning(state).Should().BeEmpty();
        Directory.Delete(state, recursive: true);
    }

    private static Process StartRunner(string state, int offset)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     RunnerAssembly, "--state-dir", state, "--port-offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--configuration", ThrowawayPlatform.BuildConfiguration, "--quiet",
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo)!;
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }

    /// <summary>Processes whose command line names the folder: the runner's PostgreSQL (-D) and Redis (--dir).</summary>
    private static List<string> ProcessesMentioning(string folder) =>
        Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return string.Empty;
                }
                catch (UnauthorizedAccessException)
                {
                    return string.Empty;
                }
            })
            .Where(cmdline => cmdline.Contains(folder, StringComparison.Ordinal))
            .ToList();

    private sealed class OutputCollector
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();

        public OutputCollector(Process process)
        {
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return _text.ToString();
                }
            }
        }

        public async Task WaitForAsync(string marker, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (!Text.Contains(marker, StringComparison.Ordinal))
            {
                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"'{marker}' did not appear within {timeout}. Output so far:{Environment.NewLine}{Text}");
                }

                await Task.Delay(100);
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                _text.AppendLine(line);
            }
        }
    }
}

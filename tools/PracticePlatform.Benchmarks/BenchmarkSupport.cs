using System.Diagnostics;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.Benchmarks;

/// <summary>What the benchmarks that start services share: the repository, a Release build, a free block of ports.</summary>
internal static class BenchmarkSupport
{
    /// <summary>Builds the named services (Release), so the figures are never those of stale binaries. The build's
    /// output is shown only when it fails; no build servers are left running.</summary>
    public static async Task BuildAsync(string root, IEnumerable<string> services, CancellationToken cancellationToken)
    {
        foreach (var name in services)
        {
            var project = PlatformTopology.Service(name).Project;
            Console.WriteLine($"building {project} (Release)…");
            var startInfo = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = root,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "build", project, "-c", "Release", "-nologo", "-v:q", "-clp:ErrorsOnly", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            if (process.ExitCode != 0)
            {
                throw new PlatformStartException(
                    $"dotnet build {project} -c Release failed (exit code {process.ExitCode}):{Environment.NewLine}{(await output).Trim()}{Environment.NewLine}{(await errors).Trim()}");
            }
        }
    }

    /// <summary>An offset that moves every default port of the topology onto a free one (as the system tests do).</summary>
    public static int FreePortOffset()
    {
        var defaults = PlatformTopology.Services.Select(s => s.Port).Append(PlatformTopology.PostgresPort).Append(PlatformTopology.RedisPort).ToList();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var offset = (Random.Shared.Next(1, 400) * 10) + 10000;
            if (defaults.All(port => Ports.IsFree(port + offset)))
            {
                return offset;
            }
        }

        throw new PlatformStartException("No free block of ports for the platform.");
    }

    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PracticePlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new PlatformStartException("No PracticePlatform.sln found above the benchmark's build output.");
    }

    public static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

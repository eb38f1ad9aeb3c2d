using PracticePlatform.NativeHosting;

namespace PracticePlatform.Runner;

internal sealed record RunnerSettings(
    string RepositoryRoot,
    string StateDirectory,
    string Configuration,
    bool ShowServiceLogs,
    string? OtlpEndpoint,
    IReadOnlyCollection<string>? Only,
    int PortOffset)
{
    public static RunnerSettings? Parse(string[] args)
    {
        var root = FindRepositoryRoot();
        string? state = null;
        var configuration = "Debug";
        var showLogs = true;
        string? otlp = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        string[]? only = null;
        var portOffset = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--state-dir" when i + 1 < args.Length:
                    state = Path.GetFullPath(args[++i]);
                    break;
                case "--configuration" or "-c" when i + 1 < args.Length:
                    configuration = args[++i];
                    break;
                case "--quiet":
                    showLogs = false;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (only.Any(name => PlatformTopology.Services.All(s => s.Name != name)))
                    {
                        return null;
                    }

                    break;
                case "--port-offset" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], out portOffset) || portOffset is < 0 or > 20000)
                    {
                        return null;
                    }

                    break;
                case "--otlp-endpoint" when i + 1 < args.Length:
                    otlp = args[++i];
                    break;
                default:
                    return null;
            }
        }

        return new RunnerSettings(root, state ?? ChooseStateDirectory(root), configuration, showLogs, otlp, only, portOffset);
    }

    public static void PrintUsage() => Console.Error.WriteLine(
        "usage: ./run.sh [--no-build] [--state-dir DIR] [--configuration Debug|Release] [--quiet] [--otlp-endpoint URL]\n" +
        "                [--port-offset N (added to every port, to run a second copy)]\n" +
        $"                [--only {string.Join(",", PlatformTopology.Services.Select(s => s.Name))}]");

    public LocalPlatformOptions ToPlatformOptions(RunnerConsole console) => new()
    {
        RepositoryRoot = RepositoryRoot,
        StateDirectory = StateDirectory,
        Configuration = Configuration,
        OtlpEndpoint = OtlpEndpoint,
        Services = Only,
        PortOffset = PortOffset,
        OnProgress = console.Progress,
        OnServiceOutput = ShowServiceLogs ? console.ServiceLine : null,
    };

    /// <summary>.data/ in the repository (git-ignored), unless the PostgreSQL user cannot write there (as root with
    /// the repository under /root, for instance): then a folder under /var/lib named after the repository.</summary>
    private static string ChooseStateDirectory(string root)
    {
        var preferred = Path.Combine(root, ".data");
        if (PostgresServer.IsUsableDirectory(Path.Combine(preferred, "postgres")))
        {
            return preferred;
        }

        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(root)))[..8];
        return Path.Combine("/var/lib/practiceplatform", suffix);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PracticePlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new PlatformStartException("Run this from inside the PracticePlatform repository (no PracticePlatform.sln found above the current folder).");
    }
}

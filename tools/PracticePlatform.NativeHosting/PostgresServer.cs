using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace PracticePlatform.NativeHosting;

public sealed record PostgresServerOptions
{
    /// <summary>Folder that holds the cluster (<c>data/</c>), its socket (<c>run/</c>) and its log.</summary>
    public required string Directory { get; init; }

    public required int Port { get; init; }

    /// <summary>The <c>postgres</c> role's password; fixed when the cluster is first created.</summary>
    public required string Password { get; init; }

    /// <summary>Trades durability for speed (fsync off): for test clusters that are deleted afterwards.</summary>
    public bool Throwaway { get; init; }
}

/// <summary>
/// A native PostgreSQL cluster run with the distribution's binaries: created with initdb on first use, started
/// with pg_ctl on loopback only, with a private socket directory. As root, the binaries run as the
/// <c>postgres</c> user (initdb refuses root).
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private readonly PostgresServerOptions _options;
    private readonly string _binDirectory;

    private PostgresServer(PostgresServerOptions options, string binDirectory)
    {
        _options = options;
        _binDirectory = binDirectory;
    }

    public int Port => _options.Port;

    public string Password => _options.Password;

    public string DataDirectory => Path.Combine(_options.Directory, "data");

    public string LogFile => Path.Combine(_options.Directory, "postgres.log");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_options.Port};Username=postgres;Password={_options.Password};Database={database}";

    public static async Task<PostgresServer> StartAsync(PostgresServerOptions options, CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer(options, FindBinDirectory());
        await server.StartCoreAsync(cancellationToken);
        return server;
    }

    /// <summary>Whether the server's user can write to <paramref name="directory"/> (as root, the postgres user
    /// cannot reach folders under /root, for example).</summary>
    public static bool IsUsableDirectory(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        if (!Posix.IsRoot)
        {
            return true;
        }

        EnsureServerUserExists();
        Run("chown", ["postgres:postgres", directory], throwOnError: false);
        return Run("runuser", ["-u", "postgres", "--", "test", "-w", directory], throwOnError: false).ExitCode == 0;
    }

    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain database name.", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task StopAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            RunAsServerUser(PgCtl, ["-D", DataDirectory, "stop", "-m", "fast", "-w", "-t", "30"], throwOnError: false);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_options.Throwaway)
        {
            TryDelete(_options.Directory);
        }
    }

    private string PgCtl => Path.Combine(_binDirectory, "pg_ctl");

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(_options.Directory);
        var socketDirectory = Path.Combine(_options.Directory, "run");
        System.IO.Directory.CreateDirectory(socketDirectory);
        if (Posix.IsRoot)
        {
            EnsureServerUserExists();
            Run("chown", ["-R", "postgres:postgres", _options.Directory]);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            InitializeCluster();
        }
        else if (RunAsServerUser(PgCtl, ["-D", DataDirectory, "status"], throwOnError: false).ExitCode == 0)
        {
            // A server from an earlier run that was not stopped (the runner was killed): stop it and start afresh.
            RunAsServerUser(PgCtl, ["-D", DataDirectory, "stop", "-m", "fast", "-w", "-t", "30"]);
        }

        Ports.EnsureFree(_options.Port, "PostgreSQL");

        var settings = new List<string>
        {
            $"-p {_options.Port}",
            $"-k {socketDirectory}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=200",
        };
        if (_options.Throwaway)
        {
            settings.Add("-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }

        var start = RunAsServerUser(
            PgCtl,
            ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", string.Join(' ', settings), "start"],
            throwOnError: false);
        if (start.ExitCode != 0)
        {
            throw new PlatformStartException(
                $"PostgreSQL did not start (pg_ctl exit code {start.ExitCode}).{Environment.NewLine}{start.Output}{Environment.NewLine}" +
                $"Last lines of {LogFile}:{Environment.NewLine}{TailOf(LogFile)}");
        }

        await WaitUntilAcceptingAsync(cancellationToken);
    }

    private void InitializeCluster()
    {
        var passwordFile = Path.Combine(_options.Directory, "initdb.pw");
        File.WriteAllText(passwordFile, _options.Password);
        try
        {
            if (Posix.IsRoot)
            {
                Run("chown", ["postgres:postgres", passwordFile]);
            }

            var init = RunAsServerUser(
                Path.Combine(_binDirectory, "initdb"),
                ["-D", DataDirectory, "-U", "postgres", "-A", "scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8"],
                throwOnError: false);
            if (init.ExitCode != 0)
            {
                throw new PlatformStartException($"initdb failed (exit code {init.ExitCode}):{Environment.NewLine}{init.Output}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=2");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw new PlatformStartException(
                    $"PostgreSQL started but does not accept connections on port {_options.Port}: {ex.Message}. " +
                    $"If the cluster in {DataDirectory} was created with another password, delete that folder.", ex);
            }
        }
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(root))
        {
            var newest = System.IO.Directory.GetDirectories(root)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Directory, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return Path.Combine(newest.Directory, "bin");
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return onPath ?? throw new PlatformStartException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH. " +
            "Install them with: apt-get install -y postgresql");
    }

    private static void EnsureServerUserExists()
    {
        if (Run("id", ["-u", "postgres"], throwOnError: false).ExitCode != 0)
        {
            throw new PlatformStartException(
                "Running as root, but there is no 'postgres' user to run PostgreSQL as (initdb refuses root). " +
                "Install the postgresql package, which creates it: apt-get install -y postgresql");
        }
    }

    private static (int ExitCode, string Output) RunAsServerUser(string fileName, IReadOnlyList<string> arguments, bool throwOnError = true) =>
        Posix.IsRoot
            ? Run("runuser", ["-u", "postgres", "--", fileName, .. arguments], throwOnError)
            : Run(fileName, arguments, throwOnError);

    private static (int ExitCode, string Output) Run(string fileName, IReadOnlyList<string> arguments, bool throwOnError = true)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var output = (stdout.Result + stderr.Result).Trim();
        if (throwOnError && process.ExitCode != 0)
        {
            throw new PlatformStartException($"`{fileName} {string.Join(' ', arguments)}` failed (exit code {process.ExitCode}): {output}");
        }

        return (process.ExitCode, output);
    }

    private static string TailOf(string file)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(file).TakeLast(15));
        }
        catch (IOException)
        {
            return "(no log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(log not readable)";
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}

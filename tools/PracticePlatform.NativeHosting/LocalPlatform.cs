using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace PracticePlatform.NativeHosting;

public sealed record LocalPlatformOptions
{
    /// <summary>The repository root (the folder with PracticePlatform.sln).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Where PostgreSQL and Redis keep data and where logs go.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Test mode: durability off, everything deleted on dispose.</summary>
    public bool Throwaway { get; init; }

    public int PostgresPort => PlatformTopology.PostgresPort + PortOffset;

    public int RedisPort => PlatformTopology.RedisPort + PortOffset;

    /// <summary>Added to every default port (services, PostgreSQL, Redis) so a second copy can run beside the first.</summary>
    public int PortOffset { get; init; }

    /// <summary>The services to start (by name); null starts all of them.</summary>
    public IReadOnlyCollection<string>? Services { get; init; }

    /// <summary>The build configuration whose output is run.</summary>
    public string Configuration { get; init; } = "Debug";

    public string EnvironmentName { get; init; } = "Development";

    /// <summary>OTEL_EXPORTER_OTLP_ENDPOINT for every service (telemetry export is off when null).</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Extra or overriding environment variables per service name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceEnvironment { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Each line a service prints, with the service's name.</summary>
    public Action<string, string>? OnServiceOutput { get; init; }

    /// <summary>Progress as the platform comes up.</summary>
    public Action<PlatformProgress>? OnProgress { get; init; }
}

public sealed record PlatformProgress(string Resource, string State, string Detail, TimeSpan Elapsed);

public sealed record RunningService(ServiceResource Resource, Uri Url, ChildProcess Process, string LogFile, TimeSpan StartupTime);

/// <summary>
/// The whole platform on this machine without containers: native PostgreSQL and Redis, then every service as a
/// process with the same configuration contract the Aspire AppHost injects (ConnectionStrings__*, services__*,
/// OTEL_*), started together and awaited until each /health answers 200.
/// </summary>
public sealed class LocalPlatform : IAsyncDisposable
{
    private readonly LocalPlatformOptions _options;
    private readonly List<RunningService> _services = [];
    private List<ServiceResource> _selected = [];
    private PostgresServer? _postgres;
    private RedisServer? _redis;

    private LocalPlatform(LocalPlatformOptions options) => _options = options;

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("Not started.");

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public IReadOnlyList<RunningService> Services => _services;

    public string LogDirectory => Path.Combine(_options.StateDirectory, "logs");

    public string MailboxDirectory => Path.Combine(_options.StateDirectory, "mailbox");

    /// <summary>Where content keeps uploaded scenario images and audio (its media volume).</summary>
    public string MediaDirectory => Path.Combine(_options.StateDirectory, "media");

    public Uri ServiceUrl(string name) => _services.Single(s => s.Resource.Name == name).Url;

    public static async Task<LocalPlatform> StartAsync(LocalPlatformOptions options, CancellationToken cancellationToken = default)
    {
        var platform = new LocalPlatform(options);
        try
        {
            await platform.StartCoreAsync(cancellationToken);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where the built service lives; null when it has not been built.</summary>
    public static string? ServiceAssembly(string repositoryRoot, ServiceResource service, string configuration)
    {
        var projectDirectory = Path.GetDirectoryName(Path.Combine(repositoryRoot, service.Project))!;
        var path = Path.Combine(projectDirectory, "bin", configuration, "net10.0", service.AssemblyName + ".dll");
        return File.Exists(path) ? path : null;
    }

    public async ValueTask DisposeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(_services.Select(s => s.Process.DisposeAsync().AsTask()));
        if (_services.Count > 0)
        {
            Report("services", "stopped", $"{_services.Count} service(s)", stopwatch.Elapsed);
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
            Report(PlatformTopology.RedisResource, "stopped", string.Empty, stopwatch.Elapsed);
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            Report(PlatformTopology.PostgresResource, "stopped", string.Empty, stopwatch.Elapsed);
        }

        if (_options.Throwaway)
        {
            try
            {
                Directory.Delete(_options.StateDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var selected = _selected = PlatformTopology.Services
            .Where(s => _options.Services is null || _options.Services.Contains(s.Name))
            .ToList();

        // Everything that can be checked before anything starts: built services and free ports.
        var missing = selected.Where(s => ServiceAssembly(_options.RepositoryRoot, s, _options.Configuration) is null).ToList();
        if (missing.Count > 0)
        {
            throw new PlatformStartException(
                $"Not built ({_options.Configuration}): {string.Join(", ", missing.Select(s => s.Project))}. " +
                "Run: dotnet build PracticePlatform.Local.slnf");
        }

        foreach (var service in selected)
        {
            Ports.EnsureFree(PortOf(service), service.Name);
        }

        Directory.CreateDirectory(_options.StateDirectory);
        var credentials = Credentials.LoadOrCreate(_options.StateDirectory, persist: !_options.Throwaway);

        var stopwatch = Stopwatch.StartNew();
        var postgresDirectory = Path.Combine(_options.StateDirectory, "postgres");
        Report(PlatformTopology.PostgresResource, "starting", $"127.0.0.1:{_options.PostgresPort}", stopwatch.Elapsed);
        var redisTask = StartRedisAsync(credentials, stopwatch, cancellationToken);
        _postgres = await PostgresServer.StartAsync(
            new PostgresServerOptions
            {
                Directory = postgresDirectory,
                Port = _options.PostgresPort,
                Password = credentials.PostgresPassword,
                Throwaway = _options.Throwaway,
            },
            cancellationToken);
        var databases = selected.Where(s => s.Database is not null).Select(s => s.Database!).ToList();
        foreach (var database in databases)
        {
            await _postgres.CreateDatabaseAsync(database, cancellationToken);
        }

        Report(PlatformTopology.PostgresResource, "ready", $"{databases.Count} database(s), log {_postgres.LogFile}", stopwatch.Elapsed);
        _redis = await redisTask;

        var launched = selected.Select(service => Launch(service, stopwatch.Elapsed)).ToList();
        var results = await Task.WhenAll(launched.Select(l => WaitHealthyAsync(l, stopwatch, cancellationToken)));
        _services.AddRange(results);
    }

    private async Task<RedisServer> StartRedisAsync(Credentials credentials, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        Report(PlatformTopology.RedisResource, "starting", $"127.0.0.1:{_options.RedisPort}", stopwatch.Elapsed);
        var redis = await RedisServer.StartAsync(
            new RedisServerOptions
            {
                Directory = Path.Combine(_options.StateDirectory, "redis"),
                Port = _options.RedisPort,
                Password = credentials.RedisPassword,
                Persistent = !_options.Throwaway,
            },
            cancellationToken);
        Report(PlatformTopology.RedisResource, "ready", $"log {redis.LogFile}", stopwatch.Elapsed);
        return redis;
    }

    private (ServiceResource Service, Uri Url, ChildProcess Process, string LogFile, TimeSpan StartedAt) Launch(ServiceResource service, TimeSpan startedAt)
    {
        var url = new Uri($"http://localhost:{PortOf(service)}");
        var logFile = Path.Combine(LogDirectory, service.Name + ".log");
        var assembly = ServiceAssembly(_options.RepositoryRoot, service, _options.Configuration)!;
        var process = ChildProcess.Start(
            service.Name,
            "dotnet",
            [assembly],
            Path.GetDirectoryName(Path.Combine(_options.RepositoryRoot, service.Project))!,
            EnvironmentFor(service, url),
            logFile,
            _options.OnServiceOutput is { } observer ? line => observer(service.Name, line) : null);
        Report(service.Name, "starting", url.ToString(), startedAt);
        return (service, url, process, logFile, startedAt);
    }

    /// <summary>The configuration contract of ENVIRONMENT.md, as the AppHost would inject it.</summary>
    internal Dictionary<string, string?> EnvironmentFor(ServiceResource service, Uri url)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = _options.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = _options.EnvironmentName,
            ["OTEL_SERVICE_NAME"] = service.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={service.Name}-{Environment.ProcessId}",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss ",
        };

        if (service.Database is { } database)
        {
            var postgres = Postgres;
            var prefix = database.ToUpperInvariant();
            environment[$"ConnectionStrings__{database}"] = postgres.ConnectionString(database);
            environment[$"{prefix}_HOST"] = "127.0.0.1";
            environment[$"{prefix}_PORT"] = postgres.Port.ToString(CultureInfo.InvariantCulture);
            environment[$"{prefix}_USERNAME"] = "postgres";
            environment[$"{prefix}_PASSWORD"] = postgres.Password;
            environment[$"{prefix}_DATABASENAME"] = database;
            environment[$"ConnectionStrings__{PlatformTopology.RedisResource}"] = Redis.ConnectionString;

            // Without an SMTP server, e-mails (verification, password reset) are written here as .eml files.
            environment["Mail__MailboxDirectory"] = MailboxDirectory;

            // Content's media volume: uploaded images and audio, kept with the rest of the runner's data.
            environment["Media__RootDirectory"] = MediaDirectory;

            // The browser calls every API from the web app's pages, so each API allows the web's origin.
            if (_selected.FirstOrDefault(s => s.Name == PlatformTopology.WebResource) is { } web)
            {
                var webPort = PortOf(web).ToString(CultureInfo.InvariantCulture);
                environment["Cors__AllowedOrigins"] = $"http://localhost:{webPort},http://127.0.0.1:{webPort}";
            }
        }

        foreach (var reference in service.References)
        {
            var target = PlatformTopology.Service(reference);
            environment[$"services__{reference}__http__0"] = $"http://localhost:{PortOf(target)}";
        }

        if (_options.OtlpEndpoint is { } endpoint)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        }

        foreach (var (key, value) in _options.ServiceEnvironment.GetValueOrDefault(service.Name) ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }

    private async Task<RunningService> WaitHealthyAsync(
        (ServiceResource Service, Uri Url, ChildProcess Process, string LogFile, TimeSpan StartedAt) launched,
        Stopwatch stopwatch,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(launched.Url, "/health");
        var deadline = stopwatch.Elapsed + _options.HealthTimeout;
        string lastAnswer = "no answer yet";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (launched.Process.HasExited)
            {
                throw new PlatformStartException(
                    $"{launched.Service.Name} exited during start-up (exit code {launched.Process.ExitCode}). " +
                    $"Last lines of {launched.LogFile}:{Environment.NewLine}{launched.Process.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var elapsed = stopwatch.Elapsed;
                    Report(launched.Service.Name, "healthy", launched.Url.ToString(), elapsed);
                    return new RunningService(launched.Service, launched.Url, launched.Process, launched.LogFile, elapsed - launched.StartedAt);
                }

                lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastAnswer = "timed out";
            }

            if (stopwatch.Elapsed > deadline)
            {
                throw new PlatformStartException(
                    $"{launched.Service.Name} did not become healthy within {_options.HealthTimeout.TotalSeconds:F0} s " +
                    $"(last /health answer: {lastAnswer}). Last lines of {launched.LogFile}:{Environment.NewLine}{launched.Process.Tail()}");
            }

            await Task.Delay(150, cancellationToken);
        }
    }

    private int PortOf(ServiceResource service) => service.Port + _options.PortOffset;

    private void Report(string resource, string state, string detail, TimeSpan elapsed) =>
        _options.OnProgress?.Invoke(new PlatformProgress(resource, state, detail, elapsed));

    /// <summary>Passwords for the local servers: generated once and kept beside their data, since the PostgreSQL
    /// cluster is created with its password.</summary>
    private sealed record Credentials(string PostgresPassword, string RedisPassword)
    {
        private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

        public static Credentials LoadOrCreate(string stateDirectory, bool persist)
        {
            var file = Path.Combine(stateDirectory, "credentials.json");
            if (persist && File.Exists(file))
            {
                var stored = JsonSerializer.Deserialize<Credentials>(File.ReadAllText(file));
                if (stored is not null)
                {
                    return stored;
                }
            }

            var created = new Credentials(NewSecret(), NewSecret());
            if (persist)
            {
                File.WriteAllText(file, JsonSerializer.Serialize(created, Json));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            return created;
        }

        private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }
}

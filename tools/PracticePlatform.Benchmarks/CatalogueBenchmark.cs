using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.Benchmarks;

/// <summary>
/// HTTP load on the content service's catalogue (<c>GET /v1/content/scenarios</c>) as real Kestrel processes on
/// loopback: a throwaway PostgreSQL and redis-server, the users service (it signs the access token and serves the JWKS
/// the content service checks it against), the content service once with the Redis catalogue cache and once without
/// it, and a plain Kestrel endpoint in this process for scale. Every target is warmed up, then loaded by concurrent
/// keep-alive clients for a fixed time; every answer must be 200.
/// </summary>
public static class CatalogueBenchmark
{
    private const string Email = "educator@demo.practiceplatform.test";
    private const string Password = "bedside-manner-2026";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(string[] args)
    {
        var duration = TimeSpan.FromSeconds(EventBusBenchmark.Option(args, "--seconds", 10));
        var concurrency = EventBusBenchmark.Option(args, "--concurrency", 32);
        var build = !args.Contains("--no-build");

        // Ctrl-C (or SIGTERM) stops the load and falls through to the disposals below, which stop every process.
        using var stop = new CancellationTokenSource();
        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!stop.IsCancellationRequested)
            {
                Console.WriteLine($"{context.Signal} received: stopping everything…");
                stop.Cancel();
            }
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

        try
        {
            var root = BenchmarkSupport.FindRepositoryRoot();
            if (build)
            {
                await BenchmarkSupport.BuildAsync(root, ["users", "content"], stop.Token);
            }

            return await MeasureAsync(root, duration, concurrency, stop.Token);
        }
        catch (PlatformStartException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("interrupted; everything stopped");
            return 130;
        }
    }

    private static async Task<int> MeasureAsync(string root, TimeSpan duration, int concurrency, CancellationToken cancellationToken)
    {
        // PostgreSQL, Redis, users and the cached content service, with the ENVIRONMENT.md contract, on a free block of
        // ports; Throwaway: fsync off and the state directory deleted afterwards.
        Console.WriteLine("starting PostgreSQL, Redis, users and content (cache on)…");
        await using var platform = await LocalPlatform.StartAsync(
            new LocalPlatformOptions
            {
                RepositoryRoot = root,
                StateDirectory = Path.Combine("/tmp", $"pp-bench-{Guid.NewGuid().ToString("N")[..8]}"),
                Throwaway = true,
                PortOffset = BenchmarkSupport.FreePortOffset(),
                Services = ["users", "content"],
                Configuration = "Release",
                ServiceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    ["content"] = new Dictionary<string, string> { ["Content__CatalogueCache__KeyPrefix"] = "bench:cached" },
                },
                OnProgress = p => Console.WriteLine($"  {p.Resource}: {p.State} {p.Detail} ({p.Elapsed.TotalSeconds:F1} s)"),
            },
            cancellationToken);

        // The second content service reads the same database (already migrated and seeded by the first) with the
        // cache off: every read goes to PostgreSQL.
        Console.WriteLine("starting content (cache off)…");
        await using var uncached = await StartUncachedContentAsync(root, platform, cancellationToken);

        Console.WriteLine("starting plain Kestrel (in this process)…");
        await using var plain = await StartPlainKestrelAsync();

        var cached = platform.ServiceUrl("content");
        Target[] targets =
        [
            new("plain Kestrel, fixed JSON", new Uri(plain.Url, "/ping")),
            new("list, cached", new Uri(cached, "/v1/content/scenarios")),
            new("list, uncached", new Uri(uncached.Url, "/v1/content/scenarios")),
            new("search q=chest pain, cached", new Uri(cached, "/v1/content/scenarios?q=chest%20pain")),
            new("search q=chest pain, uncached", new Uri(uncached.Url, "/v1/content/scenarios?q=chest%20pain")),
            new("clinicalArea=primary-care, cached", new Uri(cached, "/v1/content/scenarios?clinicalArea=primary-care")),
            new("clinicalArea=primary-care, uncached", new Uri(uncached.Url, "/v1/content/scenarios?clinicalArea=primary-care")),
        ];

        Console.WriteLine($"{targets.Length} targets, each {WarmUp.TotalSeconds:F0} s warm-up then {duration.TotalSeconds:F0} s with " +
                          $"{concurrency} concurrent keep-alive clients; {Environment.ProcessorCount} cores shared by clients and servers");
        var results = new List<(Target Target, LoadResult Result)>();
        foreach (var target in targets)
        {
            // A fresh login per target, so a long run never outlives the access token (15 minutes).
            var token = await LoginAsync(platform.ServiceUrl("users"), cancellationToken);
            using var http = CreateClient(concurrency, token);
            Console.WriteLine($"{target.Name}: {await ProbeAsync(http, target.Url, cancellationToken)}; warming up…");
            await LoadAsync(http, target.Url, concurrency, WarmUp, cancellationToken);
            Console.WriteLine($"  measuring {duration.TotalSeconds:F0} s…");
            var result = await LoadAsync(http, target.Url, concurrency, duration, cancellationToken);
            Console.WriteLine("  " + Format(target.Name, result));
            if (result.FirstFailure is { } failure)
            {
                Console.WriteLine($"  first failure: {failure}");
            }

            results.Add((target, result));
        }

        Console.WriteLine();
        Console.WriteLine($"content catalogue, GET over loopback HTTP/1.1, {concurrency} clients, {duration.TotalSeconds:F0} s each " +
                          "(latency from send to the whole body read):");
        Console.WriteLine($"  {"target",-36} {"req/s",9}  {"p50 ms",7}  {"p99 ms",7}  {"max ms",7}  failures");
        foreach (var (target, result) in results)
        {
            Console.WriteLine("  " + Format(target.Name, result));
        }

        Console.WriteLine("stopping…");
        return results.All(r => r.Result.Failures == 0) ? 0 : 1;
    }

    private sealed record Target(string Name, Uri Url);

    /// <summary>What one measurement saw; latencies in Stopwatch ticks, one per answer.</summary>
    private sealed record LoadResult(long[] Latencies, int Failures, TimeSpan Elapsed, string? FirstFailure)
    {
        public double RequestsPerSecond => Latencies.Length / Elapsed.TotalSeconds;

        /// <summary>Nearest-rank percentile in milliseconds.</summary>
        public double Percentile(double p) => Latencies.Length == 0
            ? double.NaN
            : Milliseconds(Latencies[(int)Math.Clamp(Math.Ceiling(p / 100 * Latencies.Length) - 1, 0, Latencies.Length - 1)]);

        public double Max => Latencies.Length == 0 ? double.NaN : Milliseconds(Latencies[^1]);

        private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    }

    private static string Format(string name, LoadResult result) =>
        $"{name,-36} {result.RequestsPerSecond,9:F0}  {result.Percentile(50),7:F2}  {result.Percentile(99),7:F2}  {result.Max,7:F1}  {result.Failures}";

    /// <summary>
    /// <paramref name="concurrency"/> workers send GETs back to back until <paramref name="duration"/> is over; an
    /// answer that is not 200, or no answer, is a failure. Each worker keeps its own latencies, merged at the end.
    /// </summary>
    private static async Task<LoadResult> LoadAsync(HttpClient http, Uri url, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        string? firstFailure = null;
        var failures = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<long>(capacity: 4096);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var sent = Stopwatch.GetTimestamp();
                string? failure;
                try
                {
                    // The default completion option reads the whole body before returning.
                    using var response = await http.GetAsync(url, cancellationToken);
                    latencies.Add(Stopwatch.GetTimestamp() - sent);
                    failure = response.StatusCode == System.Net.HttpStatusCode.OK
                        ? null
                        : $"{(int)response.StatusCode} {BenchmarkSupport.Truncate(await response.Content.ReadAsStringAsync(cancellationToken))}";
                }
                catch (HttpRequestException ex)
                {
                    failure = ex.Message;
                }
                catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"no answer within {http.Timeout.TotalSeconds:F0} s ({ex.Message})";
                }

                if (failure is not null)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, failure, null);
                }
            }

            return latencies;
        }, cancellationToken)).ToList();
        var all = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var merged = all.SelectMany(l => l).ToArray();
        Array.Sort(merged);
        return new LoadResult(merged, failures, elapsed, firstFailure);
    }

    /// <summary>One request before the load: it must answer 200, and says what the target answers.</summary>
    private static async Task<string> ProbeAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            return $"probe answered {(int)response.StatusCode} {BenchmarkSupport.Truncate(body)}";
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("total", out var total)
            ? $"{total.GetInt32()} scenario(s), {body.Length} bytes"
            : $"{body.Length} bytes";
    }

    private static HttpClient CreateClient(int concurrency, string accessToken)
    {
        // One pooled connection per worker, kept alive for the whole target.
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
        };
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        // Sent to every target, the plain one included, so every request carries the same headers.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    /// <summary>The seeded demo educator's access token, from the users service's login endpoint.</summary>
    private static async Task<string> LoginAsync(Uri users, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = users, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync("/v1/users/login", new { email = Email, password = Password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformStartException(
                $"Login as {Email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return answer.GetProperty("accessToken").GetString()
               ?? throw new PlatformStartException("The login answer carried no access token.");
    }

    /// <summary>A second content service process beside the platform's, with the same contract but the cache off.</summary>
    private static async Task<StartedService> StartUncachedContentAsync(string root, LocalPlatform platform, CancellationToken cancellationToken)
    {
        var service = PlatformTopology.Service("content");
        var url = new Uri($"http://localhost:{Ports.GetFree()}");
        var logFile = Path.Combine(platform.LogDirectory, "content-uncached.log");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            [$"ConnectionStrings__{service.Database}"] = platform.Postgres.ConnectionString(service.Database!),
            [$"ConnectionStrings__{PlatformTopology.RedisResource}"] = platform.Redis.ConnectionString,
            ["services__users__http__0"] = platform.ServiceUrl("users").ToString().TrimEnd('/'),
            ["OTEL_SERVICE_NAME"] = "content-uncached",
            ["Content__CatalogueCache__Enabled"] = "false",
            ["Content__CatalogueCache__KeyPrefix"] = "bench:uncached",
        };
        var process = ChildProcess.Start(
            "content-uncached",
            "dotnet",
            [LocalPlatform.ServiceAssembly(root, service, "Release")!],
            Path.GetDirectoryName(Path.Combine(root, service.Project))!,
            environment,
            logFile);
        var started = new StartedService(url, process);
        try
        {
            await WaitHealthyAsync(started, logFile, cancellationToken);
            Console.WriteLine($"  content (cache off): healthy {url}");
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitHealthyAsync(StartedService service, string logFile, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (service.Process.HasExited)
            {
                throw new PlatformStartException(
                    $"content (cache off) exited during start-up (exit code {service.Process.ExitCode}). " +
                    $"Last lines of {logFile}:{Environment.NewLine}{service.Process.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(service.Url, "/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new PlatformStartException(
                    $"content (cache off) did not become healthy within 90 s. Last lines of {logFile}:{Environment.NewLine}{service.Process.Tail()}");
            }

            await Task.Delay(150, cancellationToken);
        }
    }

    private sealed record StartedService(Uri Url, ChildProcess Process) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    private sealed record PlainKestrel(Uri Url, WebApplication App) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>The floor: Kestrel and minimal APIs answering a small fixed JSON object, no auth, no I/O.</summary>
    private static async Task<PlainKestrel> StartPlainKestrelAsync()
    {
        var url = new Uri($"http://127.0.0.1:{Ports.GetFree()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url.ToString());
        var app = builder.Build();
        app.MapGet("/ping", () => TypedResults.Ok(new PlainAnswer("ok", 42)));
        await app.StartAsync();
        Console.WriteLine($"  plain Kestrel: listening {url}");
        return new PlainKestrel(url, app);
    }

    private sealed record PlainAnswer(string Status, int Value);
}

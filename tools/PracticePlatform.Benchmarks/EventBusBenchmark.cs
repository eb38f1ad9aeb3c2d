using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PracticePlatform.EventBus;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.Benchmarks;

/// <summary>The stamp a benchmark event carries: when it was published, on this process's clock.</summary>
public sealed record BenchmarkEvent(long PublishedAtTimestamp) : IntegrationEvent;

/// <summary>Records how long each event took from PublishAsync to its handler.</summary>
public sealed class LatencyRecorder : IDisposable
{
    private readonly List<double> _milliseconds = [];
    private readonly SemaphoreSlim _handled = new(0);
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected;

    public void Expect(int count)
    {
        lock (_milliseconds)
        {
            _milliseconds.Clear();
            _expected = count;
            // Forget the signals of earlier events, so NextAsync waits for one of these.
            while (_handled.Wait(0))
            {
            }

            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public Task Done => _done.Task;

    /// <summary>Completes when one more event has been handled.</summary>
    public Task NextAsync() => _handled.WaitAsync();

    public int Count
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Record(long publishedAt)
    {
        var elapsed = Stopwatch.GetElapsedTime(publishedAt).TotalMilliseconds;
        lock (_milliseconds)
        {
            _milliseconds.Add(elapsed);
            _handled.Release();
            if (_milliseconds.Count >= _expected)
            {
                _done.TrySetResult();
            }
        }
    }

    public void Dispose() => _handled.Dispose();

    public double Percentile(double p)
    {
        lock (_milliseconds)
        {
            var sorted = _milliseconds.Order().ToList();
            return sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }
}

public sealed class BenchmarkHandler(LatencyRecorder recorder) : IIntegrationEventHandler<BenchmarkEvent>
{
    public Task HandleAsync(BenchmarkEvent @event, CancellationToken cancellationToken)
    {
        recorder.Record(@event.PublishedAtTimestamp);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Publish-to-handle throughput and latency of the event bus on loopback: a throwaway redis-server, one service
/// host publishing with several concurrent publishers and consuming its own events, then redis-benchmark's XADD
/// figure against the same server for scale.
/// </summary>
public static class EventBusBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = Option(args, "--events", 20_000);
        var publishers = Option(args, "--publishers", 16);
        var directory = Path.Combine("/tmp", $"pp-bench-{Guid.NewGuid().ToString("N")[..8]}");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Directory = directory, Port = Ports.GetFree(), Password = password });
        Console.WriteLine($"redis-server on 127.0.0.1:{redis.Port}; {events} events, {publishers} concurrent publishers, {Environment.ProcessorCount} cores");

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["EventBus:ServiceName"] = "benchmark",
            ["EventBus:StreamPrefix"] = "bench",
        });
        builder.Services.AddSingleton<LatencyRecorder>();
        builder.AddEventBus().AddSubscription<BenchmarkEvent, BenchmarkHandler>();
        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IEventBus>();
        var recorder = host.Services.GetRequiredService<LatencyRecorder>();

        Console.WriteLine("warming up (2,000 events)…");
        await PublishAsync(bus, recorder, 2_000, publishers);

        Console.WriteLine($"measuring ({events} events)…");
        var stopwatch = Stopwatch.StartNew();
        var progress = new Timer(_ => Console.WriteLine($"  {recorder.Count}/{events} handled, {stopwatch.Elapsed.TotalSeconds:F1} s"), null, 2000, 2000);
        await PublishAsync(bus, recorder, events, publishers);
        stopwatch.Stop();
        await progress.DisposeAsync();
        var throughput = events / stopwatch.Elapsed.TotalSeconds;
        var saturated = (P50: recorder.Percentile(50), P99: recorder.Percentile(99));

        // Latency without a queue in front: one event at a time, each waited for.
        const int sequential = 1_000;
        Console.WriteLine($"measuring unloaded latency ({sequential} events, one at a time)…");
        recorder.Expect(sequential);
        for (var i = 0; i < sequential; i++)
        {
            await bus.PublishAsync(new BenchmarkEvent(Stopwatch.GetTimestamp()));
            await recorder.NextAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        Console.WriteLine();
        Console.WriteLine($"event bus, publish to handle, saturated: {throughput:F0} events/s " +
                          $"(latency under that load, mostly queueing: p50 {saturated.P50:F0} ms, p99 {saturated.P99:F0} ms)");
        Console.WriteLine($"event bus, publish to handle, unloaded: p50 {recorder.Percentile(50):F2} ms, p99 {recorder.Percentile(99):F2} ms");
        await host.StopAsync();

        Console.WriteLine("redis-benchmark, same server (XADD, 50 clients, 100,000 requests, no pipelining):");
        Console.WriteLine("  " + RunRedisBenchmark(redis.Port, password));
        return 0;
    }

    private static async Task PublishAsync(IEventBus bus, LatencyRecorder recorder, int count, int publishers)
    {
        recorder.Expect(count);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                await bus.PublishAsync(new BenchmarkEvent(Stopwatch.GetTimestamp()));
            }
        })));
        await recorder.Done.WaitAsync(TimeSpan.FromMinutes(5));
    }

    private static string RunRedisBenchmark(int port, string password)
    {
        var startInfo = new ProcessStartInfo("redis-benchmark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-a", password, "-n", "100000", "-c", "50", "-q", "XADD", "bench:raw", "*", "field", "value" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // -q prints progress with carriage returns; the last segment is the summary.
            return output.Split('\r', '\n').Where(l => l.Contains("requests per second", StringComparison.Ordinal)).LastOrDefault()?.Trim() ?? output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "redis-benchmark is not installed (apt-get install -y redis-tools)";
        }
    }

    internal static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0 ? value : fallback;
    }
}

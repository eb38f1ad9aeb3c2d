using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.NativeHosting;
using PracticePlatform.ServiceDefaults.Data;

namespace PracticePlatform.Benchmarks;

/// <summary>The event an order's transaction publishes, stamped just before its SaveChanges on this process's clock.</summary>
public sealed record OrderPlaced(Guid OrderId, long PublishedAtTimestamp) : IntegrationEvent;

/// <summary>The publisher's state change.</summary>
public sealed class BenchmarkOrder
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public int Number { get; init; }
}

/// <summary>The consumer's effect: one row per handled event.</summary>
public sealed class BenchmarkDelivery
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid OrderId { get; init; }

    public Guid EventId { get; init; }
}

public sealed class OutboxBenchmarkDbContext(DbContextOptions<OutboxBenchmarkDbContext> options) : DbContext(options)
{
    public DbSet<BenchmarkOrder> Orders => Set<BenchmarkOrder>();

    public DbSet<BenchmarkDelivery> Deliveries => Set<BenchmarkDelivery>();

    /// <summary>Set by the handler: the stamp of the event whose effect the current inbox transaction holds, recorded
    /// by <see cref="HandledCommitRecorder"/> when that transaction commits.</summary>
    internal long? HandledStamp { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BenchmarkOrder>().ToTable("orders");
        modelBuilder.Entity<BenchmarkDelivery>().ToTable("deliveries");
        modelBuilder.AddEventBusTables();
    }
}

/// <summary>Writes one row per event; the inbox runs it inside its transaction.</summary>
public sealed class OrderPlacedHandler(OutboxBenchmarkDbContext db) : IIntegrationEventHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        db.Deliveries.Add(new BenchmarkDelivery { OrderId = @event.OrderId, EventId = @event.Id });
        db.HandledStamp = @event.PublishedAtTimestamp;
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>An event counts as handled when the inbox transaction around its handler commits (the handler's row and
/// the inbox row are then durable), not when the handler returns.</summary>
internal sealed class HandledCommitRecorder(LatencyRecorder recorder) : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Record(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    private void Record(TransactionEndEventData eventData)
    {
        if (eventData.Context is OutboxBenchmarkDbContext { HandledStamp: { } stamp } db)
        {
            db.HandledStamp = null;
            recorder.Record(stamp);
        }
    }

    private static void Forget(TransactionEndEventData eventData)
    {
        if (eventData.Context is OutboxBenchmarkDbContext db)
        {
            db.HandledStamp = null;
        }
    }
}

/// <summary>
/// The full transactional path on loopback: a throwaway PostgreSQL and redis-server, one service host wired as a
/// service wires itself (AddNpgsqlDbContext + AddEventBus&lt;TContext&gt;). Each publisher transaction saves one order
/// row and one event through <see cref="IEventOutbox"/>; the outbox relay sends committed rows to Redis Streams; the
/// handler writes one row per event inside the inbox's transaction. Latency runs from just before SaveChangesAsync
/// to the commit of the handler's inbox transaction.
/// </summary>
public static class OutboxBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var events = EventBusBenchmark.Option(args, "--events", 20_000);
        var publishers = EventBusBenchmark.Option(args, "--publishers", 16);
        var directory = Path.Combine("/tmp", $"pp-bench-{Guid.NewGuid().ToString("N")[..8]}");
        var redisPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using var redis = await RedisServer.StartAsync(new RedisServerOptions { Directory = directory + "-redis", Port = Ports.GetFree(), Password = redisPassword });
        await using var postgres = await PostgresServer.StartAsync(new PostgresServerOptions
        {
            Directory = directory + "-pg",
            Port = Ports.GetFree(),
            Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            Throwaway = true,
        });
        Console.WriteLine($"redis-server on 127.0.0.1:{redis.Port}, PostgreSQL on 127.0.0.1:{postgres.Port} (fsync off); " +
                          $"{events} events, {publishers} concurrent publishers, {Environment.ProcessorCount} cores");

        var connectionString = postgres.ConnectionString("outbox_bench");
        await using (var db = new OutboxBenchmarkDbContext(new DbContextOptionsBuilder<OutboxBenchmarkDbContext>().UseNpgsql(connectionString).Options))
        {
            await db.Database.EnsureCreatedAsync();
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:benchdb"] = connectionString,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["EventBus:ServiceName"] = "benchmark",
            ["EventBus:StreamPrefix"] = "bench",
            // Only the commit signal wakes the relay within a measurement; the poll is the crash-recovery path.
            ["EventBus:Outbox:PollInterval"] = PollInterval.ToString("c", CultureInfo.InvariantCulture),
        });
        builder.Services.AddSingleton<LatencyRecorder>();
        builder.Services.AddSingleton<HandledCommitRecorder>();
        builder.AddNpgsqlDbContext<OutboxBenchmarkDbContext>("benchdb");
        builder.Services.ConfigureDbContext<OutboxBenchmarkDbContext>((services, options) =>
            options.AddInterceptors(services.GetRequiredService<HandledCommitRecorder>()));
        builder.AddEventBus<OutboxBenchmarkDbContext>("redis").AddSubscription<OrderPlaced, OrderPlacedHandler>();
        using var host = builder.Build();
        await host.StartAsync();
        var recorder = host.Services.GetRequiredService<LatencyRecorder>();
        var committed = new Counter();

        Console.WriteLine("warming up (2,000 events)…");
        await PublishAsync(host.Services, recorder, committed, 2_000, publishers);

        Console.WriteLine($"measuring ({events} events, one order row + one event per transaction)…");
        committed.Reset();
        var stopwatch = Stopwatch.StartNew();
        using var stopProgress = new CancellationTokenSource();
        var progress = ReportProgressAsync(host.Services, recorder, committed, events, stopwatch, stopProgress.Token);
        var commitSeconds = await PublishAsync(host.Services, recorder, committed, events, publishers);
        stopwatch.Stop();
        await stopProgress.CancelAsync();
        await progress;
        var throughput = events / stopwatch.Elapsed.TotalSeconds;
        var commitRate = events / commitSeconds;
        var saturated = (P50: recorder.Percentile(50), P99: recorder.Percentile(99));

        const int sequential = 1_000;
        Console.WriteLine($"measuring unloaded latency ({sequential} events, one at a time)…");
        recorder.Expect(sequential);
        using var breakdown = new PathBreakdown();
        for (var i = 0; i < sequential; i++)
        {
            await SaveOrderAsync(host.Services, i, breakdown);
            await recorder.NextAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        breakdown.Stop();

        var unloaded = (P50: recorder.Percentile(50), P99: recorder.Percentile(99));
        var check = await CheckAsync(host.Services);
        await host.StopAsync();

        Console.WriteLine();
        Console.WriteLine("outbox + inbox, PostgreSQL commit per event (SaveChanges of order + event → relay → Redis Streams → " +
                          "handler row + inbox row committed):");
        Console.WriteLine($"  saturated: {throughput:F0} events/s handled (publishers committed {commitRate:F0} transactions/s; " +
                          $"latency under that load, mostly queueing: p50 {saturated.P50:F0} ms, p99 {saturated.P99:F0} ms)");
        Console.WriteLine($"  unloaded: p50 {unloaded.P50:F2} ms, p99 {unloaded.P99:F2} ms");
        Console.WriteLine($"  unloaded, where the time goes (p50 of each step): {breakdown.Summary()}");
        Console.WriteLine($"  notes: relay poll interval {PollInterval.TotalSeconds:F0} s, so every figure is the commit path " +
                          "(interceptor hands the relay the committed rows' keys), never the poll; PostgreSQL runs with fsync off, so commits cost no disk flush.");
        Console.WriteLine($"  check: {check.Orders} orders, {check.Waiting} events still in the outbox, {check.Inbox} inbox rows, {check.Deliveries} handler rows");
        return check.Waiting == 0 && check.Inbox == check.Orders && check.Deliveries == check.Orders ? 0 : 1;
    }

    /// <summary>Saves <paramref name="count"/> orders from <paramref name="publishers"/> concurrent publishers and waits
    /// until every event is handled; returns how long the publishers took to commit.</summary>
    private static async Task<double> PublishAsync(IServiceProvider services, LatencyRecorder recorder, Counter committed, int count, int publishers)
    {
        recorder.Expect(count);
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
        {
            int number;
            while ((number = Interlocked.Increment(ref next)) < count)
            {
                await SaveOrderAsync(services, number);
                committed.Increment();
            }
        })));
        var commitSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await recorder.Done.WaitAsync(TimeSpan.FromMinutes(5));
        return commitSeconds;
    }

    /// <summary>What an endpoint does: the state change and its event, saved in one transaction.</summary>
    private static async Task SaveOrderAsync(IServiceProvider services, int number, PathBreakdown? breakdown = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OutboxBenchmarkDbContext>();
        var order = new BenchmarkOrder { Number = number };
        db.Orders.Add(order);
        var placed = new OrderPlaced(order.Id, Stopwatch.GetTimestamp());
        breakdown?.Published(placed);
        scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(placed);
        await db.SaveChangesAsync();
    }

    private static async Task ReportProgressAsync(
        IServiceProvider services, LatencyRecorder recorder, Counter committed, int events, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                var waiting = await CountWaitingAsync(services);
                Console.WriteLine($"  {committed.Value}/{events} committed, {waiting} waiting in the outbox, {recorder.Count} handled, {stopwatch.Elapsed.TotalSeconds:F1} s");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Committed events the relay has not sent yet (it deletes a row once its event is sent).</summary>
    private static async Task<int> CountWaitingAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxBenchmarkDbContext>().Set<OutboxMessage>().CountAsync();
    }

    private static async Task<(int Orders, int Waiting, int Inbox, int Deliveries)> CheckAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OutboxBenchmarkDbContext>();
        return (
            await db.Orders.CountAsync(),
            await db.Set<OutboxMessage>().CountAsync(),
            await db.Set<InboxMessage>().CountAsync(),
            await db.Deliveries.CountAsync());
    }

    private sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);

        public void Reset() => Volatile.Write(ref _value, 0);
    }
}

/// <summary>
/// Splits the unloaded latency into the path's steps, from the event bus's own spans (the relay's "send", the
/// consumer's "process"), which are only recorded while this listens: commit and relay wake-up up to the send, the
/// XADD, Redis to the consumer's read, and the inbox transaction with the handler (plus XACK).
/// </summary>
internal sealed class PathBreakdown : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, long> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Start, long End)> _sent = new(StringComparer.Ordinal);
    private readonly List<(double ToSend, double Send, double ToProcess, double Process)> _steps = [];
    private volatile bool _listening = true;

    public PathBreakdown()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventBusTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => _listening ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Published(OrderPlaced placed) => _published[placed.Id.ToString()] = placed.PublishedAtTimestamp;

    public void Stop() => _listening = false;

    public string Summary()
    {
        lock (_steps)
        {
            if (_steps.Count == 0)
            {
                return "no spans recorded";
            }

            return $"commit + relay wake-up and SELECT {Median(_steps.Select(s => s.ToSend)):F2} ms, XADD {Median(_steps.Select(s => s.Send)):F2} ms, " +
                   $"Redis to consumer {Median(_steps.Select(s => s.ToProcess)):F2} ms, inbox transaction + handler + XACK {Median(_steps.Select(s => s.Process)):F2} ms " +
                   $"({_steps.Count} events)";
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        var end = Stopwatch.GetTimestamp();
        var start = end - (long)(activity.Duration.TotalSeconds * Stopwatch.Frequency);
        if (activity.GetTagItem("messaging.message.id") is not string id)
        {
            return;
        }

        if (activity.Kind == ActivityKind.Producer && activity.OperationName.EndsWith(" send", StringComparison.Ordinal))
        {
            _sent[id] = (start, end);
        }
        else if (activity.Kind == ActivityKind.Consumer && _published.TryRemove(id, out var published) && _sent.TryRemove(id, out var sent))
        {
            lock (_steps)
            {
                _steps.Add((Ms(published, sent.Start), Ms(sent.Start, sent.End), Ms(sent.End, start), Ms(start, end)));
            }
        }
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

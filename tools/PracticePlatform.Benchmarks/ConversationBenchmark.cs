using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.Benchmarks;

/// <summary>
/// Load on the live conversation: the whole platform as real processes on loopback (throwaway PostgreSQL and
/// redis-server, all six services), N learners who each joined the demo institution, started a text session on a
/// seed scenario (round-robin over the catalogue) and waited until ai knows it, then N WebSockets opened at once and
/// driven concurrently for T turns each. A turn is one utterance; it is timed from the send until the patient's
/// whole reply (<c>patient.done</c>) arrives. Every frame is checked: an ack first, carrying the utterance's id, then
/// deltas and done under the next seq; error frames, wrong seqs, missing acks and timeouts are errors.
/// </summary>
public static class ConversationBenchmark
{
    private const string DemoJoinCode = "DEMO";

    /// <summary>Far above what the benchmark sends: realtime's per-session utterance limit (default 30 a minute) and
    /// users' login attempts per client address (default 30 a minute; every learner logs in from loopback).</summary>
    private const string Unthrottled = "1000000";

    private const int SetupConcurrency = 8;
    private const int SetupAttempts = 3;

    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PatientPatience = TimeSpan.FromSeconds(90);

    /// <summary>A consultation, in order: turn t of every session says <c>Utterances[t % Length]</c>.</summary>
    private static readonly string[] Utterances =
    [
        "Hello, I'm Dr Lee, one of the doctors here. Is it okay if I ask you a few questions today?",
        "Can you confirm your full name and date of birth for me?",
        "What brought you in today?",
        "Can you tell me more about that, in your own words?",
        "When did it start, and has it changed since then?",
        "Have you had anything like this before?",
        "Do you have any other medical problems, and are you taking any medicines?",
        "Does anything run in your family, such as heart problems or diabetes?",
        "Do you smoke or drink alcohol, and have you taken any recreational drugs recently?",
        "What do you think might be going on?",
        "Is there anything in particular that worries you about this?",
        "That sounds really frightening, and it makes sense that you're worried.",
        "I think we need to run a few tests, starting with a heart tracing and some blood tests. Is that okay with you?",
        "Just so I know I've explained it clearly, could you tell me in your own words what happens next?",
        "Thank you for talking with me. Is there anything else you'd like to ask before we finish?",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = EventBusBenchmark.Option(args, "--sessions", 50);
        var turns = EventBusBenchmark.Option(args, "--turns", 20);
        var thinkMs = EventBusBenchmark.Option(args, "--think-ms", 0);
        var build = !args.Contains("--no-build");

        // Ctrl-C (or SIGTERM) cancels whatever is under way and falls through to the disposals, which close every
        // WebSocket and stop every process.
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
                await BenchmarkSupport.BuildAsync(root, PlatformTopology.ApiServices.Select(s => s.Name), stop.Token);
            }

            return await MeasureAsync(root, sessions, turns, TimeSpan.FromMilliseconds(thinkMs), stop.Token);
        }
        catch (PlatformStartException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"A service did not answer during setup: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("interrupted; everything stopped");
            return 130;
        }
    }

    private static async Task<int> MeasureAsync(string root, int sessionCount, int turns, TimeSpan think, CancellationToken cancellationToken)
    {
        Console.WriteLine("starting PostgreSQL, Redis and all six services (Release, throwaway state)…");
        await using var platform = await StartPlatformAsync(root, cancellationToken);

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(sessionCount, 16),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        };

        // Setup, in parallel but at most SetupConcurrency learners at a time: password hashing is CPU-bound, and
        // fifty at once on a small machine starve the services' Redis calls into timeouts. Setup is not measured.
        Console.WriteLine($"registering {sessionCount} learners (join code {DemoJoinCode}) and logging them in, {SetupConcurrency} at a time…");
        var setup = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(SetupConcurrency);
        var learners = await Task.WhenAll(Enumerable.Range(0, sessionCount)
            .Select(i => GatedAsync(gate, () => RegisterAsync(handler, platform.ServiceUrl("users"), i, cancellationToken), cancellationToken)));
        Console.WriteLine($"  {learners.Length} learners signed in ({setup.Elapsed.TotalSeconds:F1} s)");

        var scenarios = await SeedScenariosAsync(handler, platform.ServiceUrl("content"), learners[0], cancellationToken);
        Console.WriteLine($"  {scenarios.Count} published scenario(s) in the catalogue; sessions take them round-robin");

        Console.WriteLine($"starting {sessionCount} text sessions and waiting until ai knows each scenario…");
        var started = await Task.WhenAll(learners.Select((learner, i) => GatedAsync(gate, () => StartSessionAsync(
            handler, platform, learner, scenarios[i % scenarios.Count], cancellationToken), cancellationToken)));
        Console.WriteLine($"  {started.Length} sessions ready on {started.Select(s => s.ScenarioId).Distinct().Count()} scenario(s) " +
                          $"({setup.Elapsed.TotalSeconds:F1} s since the first registration)");

        // The sockets open together, then every session talks at once.
        Console.WriteLine($"opening {sessionCount} WebSockets at once…");
        var runs = started.Select(s => new SessionRun(s)).ToArray();
        try
        {
            var connecting = Stopwatch.StartNew();
            await Task.WhenAll(runs.Select(run => run.ConnectAsync(cancellationToken)));
            var connectTime = connecting.Elapsed;
            var opened = runs.Count(r => r.Socket is not null);
            Console.WriteLine($"  {opened} open in {connectTime.TotalMilliseconds:F0} ms");

            Console.WriteLine($"talking: {sessionCount} sessions × {turns} turns, concurrently (per-session rate limit raised to {Unthrottled}/min), " +
                              (think > TimeSpan.Zero
                                  ? $"each learner pausing {think.TotalMilliseconds * 0.5:F0}–{think.TotalMilliseconds * 1.5:F0} ms after each reply…"
                                  : "each learner sending again as soon as the reply is done…"));
            var talking = Stopwatch.StartNew();
            using var progress = new Timer(
                _ => Console.WriteLine($"  {runs.Sum(r => r.Completed)} of {sessionCount * turns} replies ({talking.Elapsed.TotalSeconds:F0} s)"),
                null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
            await Task.WhenAll(runs.Select(run => Task.Run(() => run.TalkAsync(turns, think, cancellationToken), cancellationToken)));
            var wall = talking.Elapsed;
            progress.Change(Timeout.Infinite, Timeout.Infinite);
            cancellationToken.ThrowIfCancellationRequested();

            Report(runs, sessionCount, turns, think, wall, connectTime);
            foreach (var run in runs)
            {
                run.Dispose();
            }

            var reportErrors = await MeasureReportsAsync(handler, platform, started, cancellationToken);
            var errors = runs.Sum(r => r.Errors.Count) + reportErrors;
            Console.WriteLine("stopping…");
            return errors == 0 && runs.Sum(r => r.Completed) == sessionCount * turns ? 0 : 1;
        }
        finally
        {
            foreach (var run in runs)
            {
                run.Dispose();
            }
        }
    }

    private static async Task<LocalPlatform> StartPlatformAsync(string root, CancellationToken cancellationToken)
    {
        try
        {
            return await LocalPlatform.StartAsync(
                new LocalPlatformOptions
                {
                    RepositoryRoot = root,
                    StateDirectory = Path.Combine("/tmp", $"pp-bench-{Guid.NewGuid().ToString("N")[..8]}"),
                    Throwaway = true,
                    PortOffset = BenchmarkSupport.FreePortOffset(),
                    // The API services only: the load comes from this process, not from browsers.
                    Services = [.. PlatformTopology.ApiServices.Select(s => s.Name)],
                    Configuration = "Release",
                    ServiceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>
                    {
                        ["realtime"] = new Dictionary<string, string> { ["Conversation__MaxUtterancesPerMinute"] = Unthrottled },
                        ["users"] = new Dictionary<string, string> { ["LoginThrottling__MaxAttemptsPerAddress"] = Unthrottled },
                    },
                    OnProgress = p => Console.WriteLine($"  {p.Resource}: {p.State} {p.Detail} ({p.Elapsed.TotalSeconds:F1} s)"),
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is PlatformStartException or OperationCanceledException)
        {
            // When one service fails to start, LocalPlatform stops PostgreSQL and Redis but not the services that did
            // come up (it never got to keep them): stop those children of this process, by id, before reporting.
            StopOrphanedServices(root);
            throw;
        }
    }

    /// <summary>Service processes (<c>dotnet services/…/*.Api.dll</c>) whose parent is this process.</summary>
    private static void StopOrphanedServices(string root)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (fields.Length > 1 && int.TryParse(fields[1], out var parent) && parent == Environment.ProcessId &&
                    commandLine.Contains(Path.Combine(root, "services"), StringComparison.Ordinal) &&
                    commandLine.Contains(".Api.dll", StringComparison.Ordinal))
                {
                    using var process = Process.GetProcessById(pid);
                    Console.WriteLine($"  stopping orphaned service process {pid}");
                    process.Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
    }

    /// <summary>Ends the sessions one after another (the way learners finish, not all in the same millisecond) and
    /// times each from the end request until its feedback report reads 200: the whole pipeline of events, transcript,
    /// agent execution and report.</summary>
    private static async Task<int> MeasureReportsAsync(
        SocketsHttpHandler handler, LocalPlatform platform, StartedSession[] sessions, CancellationToken cancellationToken)
    {
        Console.WriteLine($"ending the {sessions.Length} sessions one after another and timing each until its feedback report is readable…");
        var latencies = new List<long>();
        var failures = 0;
        foreach (var session in sessions)
        {
            using var sessionsApi = ClientFor(handler, platform.ServiceUrl("sessions"), session.Learner.AccessToken);
            using var ai = ClientFor(handler, platform.ServiceUrl("ai"), session.Learner.AccessToken);
            var started = Stopwatch.GetTimestamp();
            using var ended = await sessionsApi.PostAsync(new Uri($"/v1/sessions/{session.Id}/end", UriKind.Relative), null, cancellationToken);
            if (ended.StatusCode != HttpStatusCode.OK)
            {
                failures++;
                continue;
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                using var report = await ai.GetAsync(new Uri($"/v1/ai/feedback/{session.Id}", UriKind.Relative), cancellationToken);
                if (report.StatusCode == HttpStatusCode.OK)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - started);
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    failures++;
                    break;
                }

                await Task.Delay(10, cancellationToken);
            }

            if (latencies.Count % 10 == 0 && latencies.Count > 0)
            {
                Console.WriteLine($"  {latencies.Count} of {sessions.Length} reports readable");
            }
        }

        Console.WriteLine();
        Console.WriteLine("feedback report (end request → GET /v1/ai/feedback 200, polled every 10 ms):");
        Console.WriteLine($"  {"reports",-28} {latencies.Count,10}");
        Console.WriteLine($"  {"latency, ms",-28} {"p50",8} {"p95",8} {"p99",8} {"max",8}");
        Console.WriteLine("  " + Latency("  → report readable", latencies));
        Console.WriteLine($"  {"failures",-28} {failures,10}");
        return failures;
    }

    private static void Report(SessionRun[] runs, int sessionCount, int turns, TimeSpan think, TimeSpan wall, TimeSpan connectTime)
    {
        var utterances = runs.Sum(r => r.Sent);
        var answered = runs.Sum(r => r.Completed);
        var frames = runs.Sum(r => r.Frames);
        var errors = runs.SelectMany(r => r.Errors).ToList();

        Console.WriteLine();
        Console.WriteLine($"live conversation over loopback WebSockets (text mode, ws → realtime → ai), {Environment.ProcessorCount} cores " +
                          "shared by the benchmark and all services:");
        Console.WriteLine($"  {"sessions",-28} {sessionCount,10}");
        Console.WriteLine($"  {"turns per session",-28} {turns,10}");
        Console.WriteLine($"  {"think time (mean), ms",-28} {think.TotalMilliseconds,10:F0}");
        Console.WriteLine($"  {"utterances sent",-28} {utterances,10}");
        Console.WriteLine($"  {"patient.done received",-28} {answered,10}");
        Console.WriteLine($"  {"server frames received",-28} {frames,10}");
        Console.WriteLine($"  {"wall time (all turns), s",-28} {wall.TotalSeconds,10:F2}");
        Console.WriteLine($"  {"utterances/s",-28} {answered / wall.TotalSeconds,10:F1}");
        Console.WriteLine($"  {"server frames/s",-28} {frames / wall.TotalSeconds,10:F0}");
        Console.WriteLine($"  {"opening the sockets, ms",-28} {connectTime.TotalMilliseconds,10:F0}");
        Console.WriteLine($"  {"latency from send, ms",-28} {"p50",8} {"p95",8} {"p99",8} {"max",8}");
        Console.WriteLine("  " + Latency("  → ack", runs.SelectMany(r => r.AckLatencies)));
        Console.WriteLine("  " + Latency("  → first reply frame", runs.SelectMany(r => r.FirstReplyLatencies)));
        Console.WriteLine("  " + Latency("  → patient.done", runs.SelectMany(r => r.DoneLatencies)));
        Console.WriteLine($"  {"errors",-28} {errors.Count,10}");
        foreach (var group in errors.GroupBy(e => e.Kind).OrderByDescending(g => g.Count()))
        {
            Console.WriteLine($"    {group.Count(),5} × {group.Key}; first: {group.First().Detail}");
        }
    }

    private static string Latency(string name, IEnumerable<long> ticks)
    {
        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        return $"{name,-28} {Percentile(sorted, 50),8:F1} {Percentile(sorted, 95),8:F1} {Percentile(sorted, 99),8:F1} " +
               $"{(sorted.Length == 0 ? double.NaN : Milliseconds(sorted[^1])),8:F1}";
    }

    /// <summary>Nearest-rank percentile in milliseconds.</summary>
    private static double Percentile(long[] sorted, double p) => sorted.Length == 0
        ? double.NaN
        : Milliseconds(sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed record Learner(string Email, string AccessToken);

    private sealed record Scenario(Guid Id, string Title);

    private sealed record StartedSession(Learner Learner, Guid Id, Guid ScenarioId, int ScenarioVersion, Uri RealtimeUrl);

    private sealed record BenchmarkError(string Kind, string Detail);

    private static HttpClient ClientFor(SocketsHttpHandler handler, Uri baseAddress, string? accessToken)
    {
        var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (accessToken is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return http;
    }

    /// <summary>Joins the demo institution with a fresh e-mail address and logs in, as the web app signs someone up.</summary>
    private static async Task<Learner> RegisterAsync(SocketsHttpHandler handler, Uri users, int index, CancellationToken cancellationToken)
    {
        using var http = ClientFor(handler, users, accessToken: null);
        var email = $"bench-learner-{index}-{Guid.NewGuid():N}@example.test";
        var password = $"bedside-{Guid.NewGuid():N}";
        var body = new { email, password, displayName = $"Benchmark Learner {index + 1}", institutionCode = DemoJoinCode };
        using (var registered = await WithRetriesAsync(() => http.PostAsJsonAsync("/v1/users/register", body, cancellationToken), cancellationToken))
        {
            // 409 only after a retry: the attempt that failed had registered the account after all.
            if (registered.StatusCode != HttpStatusCode.Conflict)
            {
                await EnsureAsync(registered, HttpStatusCode.Created, $"registering {email}", cancellationToken);
            }
        }

        using var login = await WithRetriesAsync(() => http.PostAsJsonAsync("/v1/users/login", new { email, password }, cancellationToken), cancellationToken);
        await EnsureAsync(login, HttpStatusCode.OK, $"logging in as {email}", cancellationToken);
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new Learner(email, tokens.GetProperty("accessToken").GetString()
                                  ?? throw new PlatformStartException($"The login answer for {email} carried no access token."));
    }

    /// <summary>The published seed scenarios a learner of the demo institution sees (the first page of 100).</summary>
    private static async Task<IReadOnlyList<Scenario>> SeedScenariosAsync(SocketsHttpHandler handler, Uri content, Learner learner, CancellationToken cancellationToken)
    {
        using var http = ClientFor(handler, content, learner.AccessToken);
        using var response = await http.GetAsync(new Uri("/v1/content/scenarios?pageSize=100", UriKind.Relative), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, "listing the scenarios", cancellationToken);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var scenarios = page.GetProperty("items").EnumerateArray()
            .Select(item => new Scenario(
                item.GetProperty("id").GetGuid(),
                item.TryGetProperty("title", out var title) ? title.GetString() ?? string.Empty : string.Empty))
            .ToList();
        return scenarios.Count > 0 ? scenarios : throw new PlatformStartException("The catalogue lists no scenario: is content seeded?");
    }

    /// <summary>Starts a text session (POST /v1/sessions), then asks ai for the patient's reply (as the learner may)
    /// until it answers 200: ai copies each scenario version from content's ScenarioPublished event after start-up.</summary>
    private static async Task<StartedSession> StartSessionAsync(
        SocketsHttpHandler handler, LocalPlatform platform, Learner learner, Scenario scenario, CancellationToken cancellationToken)
    {
        using var sessions = ClientFor(handler, platform.ServiceUrl("sessions"), learner.AccessToken);
        using var started = await WithRetriesAsync(
            () => sessions.PostAsJsonAsync("/v1/sessions", new { scenarioId = scenario.Id, mode = "text" }, cancellationToken), cancellationToken);
        await EnsureAsync(started, HttpStatusCode.Created, $"starting a session on '{scenario.Title}' ({scenario.Id})", cancellationToken);
        var session = await started.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var sessionId = session.GetProperty("id").GetGuid();
        var version = session.GetProperty("scenarioVersion").GetInt32();
        var realtimeUrl = new Uri(session.GetProperty("realtimeUrl").GetString()
                                  ?? throw new PlatformStartException($"Session {sessionId} carried no realtimeUrl."));

        using var ai = ClientFor(handler, platform.ServiceUrl("ai"), learner.AccessToken);
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            using var probe = await ai.PostAsJsonAsync(
                "/v1/ai/patient/replies",
                new { sessionId, scenarioId = scenario.Id, scenarioVersion = version, history = Array.Empty<object>(), utterance = "Hello" },
                cancellationToken);
            var body = await probe.Content.ReadAsStringAsync(cancellationToken);
            if (probe.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            // 404 until ai has the scenario; a 5xx (a loaded machine) is asked again too, within the same patience.
            if (probe.StatusCode != HttpStatusCode.NotFound && (int)probe.StatusCode < 500)
            {
                throw new PlatformStartException(
                    $"ai answered {(int)probe.StatusCode} to the patient probe for scenario {scenario.Id} v{version}: {BenchmarkSupport.Truncate(body)}");
            }

            if (waiting.Elapsed > PatientPatience)
            {
                throw new PlatformStartException(
                    $"ai did not know scenario {scenario.Id} v{version} within {PatientPatience.TotalSeconds:F0} s (last answer: {BenchmarkSupport.Truncate(body)})");
            }

            await Task.Delay(200, cancellationToken);
        }

        return new StartedSession(learner, sessionId, scenario.Id, version, realtimeUrl);
    }

    private static async Task<T> GatedAsync<T>(SemaphoreSlim gate, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Setup requests only: a 5xx answer or no answer is tried again (up to <see cref="SetupAttempts"/>
    /// times, a second apart), since a loaded machine may time out a service's Redis or database call.</summary>
    private static async Task<HttpResponseMessage> WithRetriesAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            try
            {
                response = await send();
                if ((int)response.StatusCode < 500 || attempt == SetupAttempts)
                {
                    return response;
                }
            }
            catch (HttpRequestException) when (attempt < SetupAttempts)
            {
            }
            catch (TaskCanceledException) when (attempt < SetupAttempts && !cancellationToken.IsCancellationRequested)
            {
            }

            response?.Dispose();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            throw new PlatformStartException(
                $"{what} answered {(int)response.StatusCode}, not {(int)expected}: {BenchmarkSupport.Truncate(await response.Content.ReadAsStringAsync(cancellationToken))}");
        }
    }

    /// <summary>One session's WebSocket and what it saw. Only its own driver writes to it, except the counters the
    /// progress line reads.</summary>
    private sealed class SessionRun(StartedSession session) : IDisposable
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _completed;

        public ClientWebSocket? Socket { get; private set; }

        public int Sent { get; private set; }

        public int Completed => Volatile.Read(ref _completed);

        public long Frames { get; private set; }

        public List<long> AckLatencies { get; } = [];

        public List<long> FirstReplyLatencies { get; } = [];

        public List<long> DoneLatencies { get; } = [];

        public List<BenchmarkError> Errors { get; } = [];

        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;

            // A native client sends its token in the handshake's Authorization header, which realtime reads first;
            // ?access_token= is the browsers' way (they cannot set headers on a WebSocket) and is not what is measured.
            socket.Options.SetRequestHeader("Authorization", $"Bearer {session.Learner.AccessToken}");
            var url = session.RealtimeUrl;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TurnTimeout);
            try
            {
                await socket.ConnectAsync(url, timeout.Token);
                Socket = socket;
            }
            catch (Exception ex) when (ex is WebSocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A refused handshake says why in its WWW-Authenticate header (the problem body is not readable here).
                var challenge = socket.HttpResponseHeaders?.TryGetValue("WWW-Authenticate", out var values) == true ? $" ({string.Join("; ", values)})" : string.Empty;
                socket.Dispose();
                Errors.Add(new BenchmarkError("connect failed", $"session {session.Id}: {ex.Message}{challenge}"));
            }
        }

        /// <summary>Says <paramref name="turns"/> utterances one after another, each awaited until its patient.done and
        /// then, like a person reading the reply and typing, a pause of half to one and a half times
        /// <paramref name="think"/> (none when zero: flat out); a timeout, an error frame or a closed socket ends the
        /// session's run (its remaining turns are not sent).</summary>
        public async Task TalkAsync(int turns, TimeSpan think, CancellationToken cancellationToken)
        {
            if (Socket is not { } socket)
            {
                return;
            }

            // Learners do not all start in the same millisecond either.
            if (think > TimeSpan.Zero)
            {
                await Task.Delay(think * Random.Shared.NextDouble(), cancellationToken);
            }

            long lastSeq = 0;
            for (var turn = 0; turn < turns; turn++)
            {
                if (turn > 0 && think > TimeSpan.Zero)
                {
                    await Task.Delay(think * (0.5 + Random.Shared.NextDouble()), cancellationToken);
                }

                var text = Utterances[turn % Utterances.Length];
                var clientMessageId = Guid.NewGuid().ToString();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TurnTimeout);
                try
                {
                    var sent = Stopwatch.GetTimestamp();
                    await socket.SendAsync(
                        JsonSerializer.SerializeToUtf8Bytes(new { type = "utterance", clientMessageId, text }),
                        WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                    Sent++;
                    if (await AwaitReplyAsync(socket, clientMessageId, sent, lastSeq, turn, timeout.Token) is not { } seq)
                    {
                        return;
                    }

                    lastSeq = seq;
                    Interlocked.Increment(ref _completed);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Errors.Add(new BenchmarkError("timeout", $"session {session.Id} turn {turn + 1}: no patient.done within {TurnTimeout.TotalSeconds:F0} s"));
                    return;
                }
                catch (WebSocketException ex)
                {
                    Errors.Add(new BenchmarkError("socket failed", $"session {session.Id} turn {turn + 1}: {ex.Message}"));
                    return;
                }
            }

            using var closing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            closing.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
            }
            catch (Exception ex) when (ex is WebSocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // The figures are in; a slow close is not the conversation's error.
            }
        }

        /// <summary>Reads frames until this utterance's patient.done, checking each; returns the reply's seq, or null
        /// when the socket closed or an error frame came (the session's run ends).</summary>
        private async Task<long?> AwaitReplyAsync(ClientWebSocket socket, string clientMessageId, long sent, long lastSeq, int turn, CancellationToken cancellationToken)
        {
            long? ackSeq = null;
            var firstReply = true;
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == _buffer.Length)
                    {
                        Errors.Add(new BenchmarkError("frame too large", $"session {session.Id} turn {turn + 1}: a frame over {_buffer.Length} bytes"));
                        return null;
                    }

                    result = await socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Errors.Add(new BenchmarkError("socket closed", $"session {session.Id} turn {turn + 1}: closed by the server ({socket.CloseStatus} {socket.CloseStatusDescription})"));
                        return null;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                var received = Stopwatch.GetTimestamp();
                Frames++;
                using var frame = JsonDocument.Parse(_buffer.AsMemory(0, length));
                var root = frame.RootElement;
                var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
                long? seq = root.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
                var where = $"session {session.Id} turn {turn + 1}";
                switch (type)
                {
                    case "ack":
                        if (ackSeq is not null)
                        {
                            Errors.Add(new BenchmarkError("second ack", $"{where}: {root}"));
                        }
                        else if (root.TryGetProperty("clientMessageId", out var id) && id.GetString() != clientMessageId)
                        {
                            Errors.Add(new BenchmarkError("ack for another utterance", $"{where}: {root}"));
                        }
                        else if (seq is null || seq <= lastSeq || (lastSeq > 0 && seq != lastSeq + 1))
                        {
                            Errors.Add(new BenchmarkError("wrong seq", $"{where}: ack seq {seq?.ToString() ?? "missing"} after reply {lastSeq}"));
                        }

                        ackSeq ??= seq;
                        AckLatencies.Add(received - sent);
                        break;

                    case "patient.delta":
                    case "patient.done":
                        if (ackSeq is null)
                        {
                            Errors.Add(new BenchmarkError("missing ack", $"{where}: {type} before the ack"));
                            ackSeq = (seq ?? lastSeq + 1) - 1;
                        }
                        else if (seq != ackSeq + 1)
                        {
                            Errors.Add(new BenchmarkError("wrong seq", $"{where}: {type} seq {seq?.ToString() ?? "missing"} after ack {ackSeq}"));
                        }

                        if (firstReply)
                        {
                            FirstReplyLatencies.Add(received - sent);
                            firstReply = false;
                        }

                        if (type == "patient.done")
                        {
                            DoneLatencies.Add(received - sent);
                            if (!root.TryGetProperty("text", out var text) || string.IsNullOrWhiteSpace(text.GetString()))
                            {
                                Errors.Add(new BenchmarkError("empty reply", $"{where}: {root}"));
                            }

                            return seq ?? ackSeq + 1;
                        }

                        break;

                    case "error":
                        // An error answers the utterance (refused, or no reply coming): this session stops here.
                        var code = root.TryGetProperty("code", out var c) ? c.GetString() : null;
                        Errors.Add(new BenchmarkError($"error frame {code}", $"{where}: {root}"));
                        return null;

                    default:
                        Errors.Add(new BenchmarkError($"unexpected frame {type}", $"{where}: {root}"));
                        break;
                }
            }
        }

        public void Dispose()
        {
            // Abort is immediate and harmless on a socket already closed; it releases a run cut short by Ctrl-C.
            Socket?.Abort();
            Socket?.Dispose();
        }
    }
}

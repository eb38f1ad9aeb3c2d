using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.SystemTests;

/// <summary>
/// The core journey through the real services as ./run.sh starts them: a learner registers and logs in, finds a
/// scenario, starts a session, holds a ten-turn conversation with the offline simulated patient over the realtime
/// WebSocket, drops the connection mid-reply and resumes it without losing or repeating a turn, ends the session and
/// reads the transcript.
/// </summary>
public sealed class PracticeJourneyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly string[] Utterances =
    [
        "Hello, I'm Dr Lee, one of the doctors here.",
        "Can you confirm your full name and date of birth for me?",
        "What brought you in today?",
        "Can you describe the pain for me?",
        "Have you had anything like this before, for example on the stairs?",
        "Do you smoke at all?",
        "Does anyone in your family have heart problems?",
        "We ask everyone this: have you taken any recreational drugs recently?",
        "What worries you most about all this?",
        "We need a heart tracing and a blood test now. Is that okay with you?",
    ];

    private LocalPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await LocalPlatform.StartAsync(ThrowawayPlatform.Options("journey"));

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task A_learner_practises_a_ten_turn_conversation_survives_a_dropped_connection_reads_the_transcript_and_the_report_and_progresses()
    {
        var learner = await SignedInLearner.RegisterAsync(_platform, "DEMO-COHORT");
        using var http = learner.CreateClient();
        var before = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions/progress/me"));
        before.GetProperty("reports").GetInt32().Should().Be(0);

        var found = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("content"), "/v1/content/scenarios?q=chest%20pain"));
        var scenarioId = found.GetProperty("items")[0].GetProperty("id").GetGuid();
        var started = await http.PostAsJsonAsync(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions"), new { scenarioId, mode = "text" });
        started.StatusCode.Should().Be(HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var session = await started.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = session.GetProperty("id").GetGuid();
        var realtimeUrl = session.GetProperty("realtimeUrl").GetString()!;
        await WaitForTheSimulatedPatientAsync(http, sessionId, scenarioId, session.GetProperty("scenarioVersion").GetInt32());

        var socket = await ConnectAsync(realtimeUrl, learner.AccessToken, after: null);
        var replies = new List<string>();
        for (var turn = 0; turn < Utterances.Length; turn++)
        {
            await SendAsync(socket, Guid.NewGuid(), Utterances[turn]);
            var ack = await ReceiveAsync(socket);
            ack.GetProperty("type").GetString().Should().Be("ack", ack.ToString());
            var seq = ack.GetProperty("seq").GetInt64();

            if (turn == 4)
            {
                // Drop the connection as the reply starts streaming, then resume from the last number seen.
                var first = await ReceiveAsync(socket);
                first.GetProperty("type").GetString().Should().BeOneOf("patient.delta", "patient.done");
                socket.Abort();
                socket.Dispose();

                // The reply arrives once: replayed as a stored message, or (if still being produced) live as done.
                socket = await ConnectAsync(realtimeUrl, learner.AccessToken, after: seq);
                var resumed = await ReceiveAsync(socket);
                while (resumed.GetProperty("type").GetString() == "patient.delta")
                {
                    resumed = await ReceiveAsync(socket);
                }

                resumed.GetProperty("type").GetString().Should().BeOneOf("message", "patient.done");
                resumed.GetProperty("seq").GetInt64().Should().Be(seq + 1);
                replies.Add(resumed.GetProperty("text").GetString()!);
                continue;
            }

            var done = await ReceiveUntilAsync(socket, "patient.done");
            done.GetProperty("seq").GetInt64().Should().Be(seq + 1);
            replies.Add(done.GetProperty("text").GetString()!);
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        replies.Should().HaveCount(10).And.OnlyContain(r => r.Length > 0);
        replies.Should().Contain(r => r.Contains("cocaine", StringComparison.OrdinalIgnoreCase), "the hidden fact comes out when asked about drugs");

        var ended = await http.PostAsync(new Uri(_platform.ServiceUrl("sessions"), $"/v1/sessions/{sessionId}/end"), null);
        ended.StatusCode.Should().Be(HttpStatusCode.OK, await ended.Content.ReadAsStringAsync());
        (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("completed");

        var transcript = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("realtime"), $"/v1/realtime/sessions/{sessionId}/transcript"));
        var turns = transcript.GetProperty("turns").EnumerateArray().ToList();
        turns.Should().HaveCount(20, "ten utterances and ten replies, none lost and none repeated");
        turns.Select(t => t.GetProperty("index").GetInt32()).Should().Equal(Enumerable.Range(0, 20));
        turns.Select(t => t.GetProperty("speaker").GetString()).Should().Equal(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "clinician" : "patient"));
        turns.Where((_, i) => i % 2 == 0).Select(t => t.GetProperty("text").GetString()).Should().Equal(Utterances);
        turns.Where((_, i) => i % 2 == 1).Select(t => t.GetProperty("text").GetString()).Should().Equal(replies);

        // The session is over: its conversation no longer opens.
        var reopen = async () => await ConnectAsync(realtimeUrl, learner.AccessToken, after: null);
        (await reopen.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("409");

        // The feedback report lists every rubric item, with evidence quoted from this session's own transcript.
        var report = await ReportAsync(http, sessionId);
        report.GetProperty("status").GetString().Should().Be("completed");
        var items = report.GetProperty("items").EnumerateArray().ToList();
        items.Count(i => i.GetProperty("kind").GetString() == "essential").Should().Be(16);
        items.Should().Contain(i => i.GetProperty("kind").GetString() == "content", "the scenario's own items are scored too");
        var evidence = items.SelectMany(i => i.GetProperty("evidence").EnumerateArray()).ToList();
        evidence.Should().NotBeEmpty();
        foreach (var quote in evidence)
        {
            var turn = turns[quote.GetProperty("turn").GetInt32()];
            turn.GetProperty("speaker").GetString().Should().Be("clinician");
            turn.GetProperty("text").GetString().Should().Contain(quote.GetProperty("quote").GetString());
        }

        var greeting = items.Single(i => i.GetProperty("code").GetString() == "greeting");
        greeting.GetProperty("present").GetBoolean().Should().BeTrue("the learner said hello in the first turn");
        report.GetProperty("engine").GetProperty("name").GetString().Should().Be("offline");

        // The learner's progress follows the report.
        var after = await ProgressAsync(http, reports: 1, revision: 1);
        after.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "greeting")
            .GetProperty("rate").GetDouble().Should().Be(1);

        // The demo educator teaches the demo cohort: they read the report and override an item, which the learner sees,
        // their progress takes in, and the institution's audit log records.
        var educator = await SignedInLearner.SignInAsync(_platform, "educator@demo.practiceplatform.test", "bedside-manner-2026");
        using var educatorHttp = educator.CreateClient();
        var target = items.First(i => i.GetProperty("kind").GetString() == "essential" && !i.GetProperty("present").GetBoolean());
        var code = target.GetProperty("code").GetString();
        var overridden = await educatorHttp.PostAsJsonAsync(
            new Uri(_platform.ServiceUrl("ai"), $"/v1/ai/feedback/{sessionId}/items/{code}/override"),
            new { present = true, reason = "Done well enough, in my reading of the transcript." });
        overridden.StatusCode.Should().Be(HttpStatusCode.OK, await overridden.Content.ReadAsStringAsync());
        var seen = (await ReportAsync(http, sessionId)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("code").GetString() == code);
        seen.GetProperty("present").GetBoolean().Should().BeFalse();
        seen.GetProperty("override").GetProperty("present").GetBoolean().Should().BeTrue();
        var corrected = await ProgressAsync(http, reports: 1, revision: 2);
        corrected.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("code").GetString() == code)
            .GetProperty("rate").GetDouble().Should().Be(1, "progress counts the educator's override of {0}: {1}", code, corrected);
        await AuditedAsync(code!);
    }

    private async Task<JsonElement> ReportAsync(HttpClient http, Guid sessionId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var response = await http.GetAsync(new Uri(_platform.ServiceUrl("ai"), $"/v1/ai/feedback/{sessionId}"));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            response.StatusCode.Should().BeOneOf([HttpStatusCode.NotFound, HttpStatusCode.Accepted], await response.Content.ReadAsStringAsync());
            DateTime.UtcNow.Should().BeBefore(deadline, "the report should be readable within {0}", Patience);
            await Task.Delay(100);
        }
    }

    private async Task<JsonElement> ProgressAsync(HttpClient http, int reports, int revision)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var progress = await http.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("sessions"), "/v1/sessions/progress/me"));
            if (progress.GetProperty("reports").GetInt32() == reports
                && progress.GetProperty("snapshots").EnumerateArray().Any(s => s.GetProperty("revision").GetInt32() == revision))
            {
                return progress;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "progress should reach revision {0} within {1}", revision, Patience);
            await Task.Delay(100);
        }
    }

    private async Task AuditedAsync(string code)
    {
        var admin = await SignedInLearner.SignInAsync(_platform, "admin@demo.practiceplatform.test", "ward-round-rota-2026");
        using var adminHttp = admin.CreateClient();
        var me = await adminHttp.GetFromJsonAsync<JsonElement>(new Uri(_platform.ServiceUrl("users"), "/v1/users/me"));
        var institution = me.GetProperty("institution").GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var audit = await adminHttp.GetFromJsonAsync<JsonElement>(
                new Uri(_platform.ServiceUrl("users"), $"/v1/users/institutions/{institution}/audit?limit=50"));
            if (audit.EnumerateArray().Any(a => a.GetProperty("type").GetString() == "feedback.item-overridden"
                && a.GetProperty("detail").GetString()!.Contains($"item {code}:", StringComparison.Ordinal)))
            {
                return;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the override should reach the audit log within {0}", Patience);
            await Task.Delay(100);
        }
    }

    /// <summary>ai copies each scenario version from content's ScenarioPublished event shortly after the platform
    /// starts; asking the patient directly (as the learner may) says when it has.</summary>
    private async Task WaitForTheSimulatedPatientAsync(HttpClient http, Guid sessionId, Guid scenarioId, int version)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var probe = await http.PostAsJsonAsync(
                new Uri(_platform.ServiceUrl("ai"), "/v1/ai/patient/replies"),
                new { sessionId, scenarioId, scenarioVersion = version, history = Array.Empty<object>(), utterance = "Hello" });
            if (probe.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            probe.StatusCode.Should().Be(HttpStatusCode.NotFound, await probe.Content.ReadAsStringAsync());
            DateTime.UtcNow.Should().BeBefore(deadline, "ai should have the scenario within {0}", Patience);
            await Task.Delay(200);
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(string realtimeUrl, string accessToken, long? after)
    {
        var socket = new ClientWebSocket();
        var query = $"?access_token={Uri.EscapeDataString(accessToken)}" + (after is { } seq ? $"&after={seq}" : string.Empty);
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(new Uri(realtimeUrl + query), timeout.Token);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, Guid clientMessageId, string text) =>
        socket.SendAsync(
            JsonSerializer.SerializeToUtf8Bytes(new { type = "utterance", clientMessageId, text }),
            WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            result.MessageType.Should().Be(WebSocketMessageType.Text);
            length += result.Count;
            if (result.EndOfMessage)
            {
                var frame = JsonSerializer.Deserialize<JsonElement>(Encoding.UTF8.GetString(buffer, 0, length));
                frame.GetProperty("type").GetString().Should().NotBe("error", frame.ToString());
                return frame;
            }
        }
    }

    private static async Task<JsonElement> ReceiveUntilAsync(ClientWebSocket socket, string type)
    {
        while (true)
        {
            var frame = await ReceiveAsync(socket);
            if (frame.GetProperty("type").GetString() == type)
            {
                return frame;
            }
        }
    }
}

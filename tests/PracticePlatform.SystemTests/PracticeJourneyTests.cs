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

    public async Task InitializeAsync() => _platform = await LocalPlatform.StartAsync(SystemTestPlatform.Options("journey"));

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task A_learner_practises_a_ten_turn_conversation_survives_a_dropped_connection_and_reads_the_transcript()
    {
        var learner = await SignedInLearner.RegisterAsync(_platform);
        using var http = learner.CreateClient();

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

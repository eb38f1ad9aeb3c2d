using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Realtime.Tests;

/// <summary>
/// The live conversation over a real WebSocket (the test server's), against real PostgreSQL and Redis, with the
/// sessions and ai services played by stand-ins on loopback ports: storage before acknowledgement, streaming,
/// reconnection with replay, resent utterances, limits answered with error frames, and who may talk.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class ConversationTests(ServersFixture servers) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ServiceFactory<Program> _factory = new(servers, "realtimedb");
    private readonly TestUser _learner = TestUser.Learner(Guid.CreateVersion7(), Guid.CreateVersion7());
    private SessionsStandIn _sessions = null!;
    private PatientStandIn _patient = null!;

    public async Task InitializeAsync()
    {
        _sessions = await SessionsStandIn.StartAsync();
        _patient = await PatientStandIn.StartAsync();
        _factory.Settings["services:sessions:http:0"] = _sessions.Address;
        _factory.Settings["services:ai:http:0"] = _patient.Address;
        _factory.Settings["EventBus:StreamPrefix"] = $"events-{_factory.DatabaseName}";
        _factory.Settings["Conversation:MaxUtterancesPerMinute"] = "12";
        _factory.Settings["HttpClientDefaults:Resilience:RetryBaseDelay"] = "00:00:00.010";
        using var client = _factory.CreateClient();
        (await client.GetAsync("/alive")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sessions.DisposeAsync();
        await _patient.DisposeAsync();
    }

    [Fact]
    public async Task A_ten_turn_conversation_is_acknowledged_streamed_stored_and_in_the_transcript_in_order()
    {
        var session = _sessions.Start(_learner);
        await using var conversation = await ConnectAsync(session, _learner);

        for (var turn = 1; turn <= 10; turn++)
        {
            var text = $"Question number {turn}, how are you?";
            var clientMessageId = Guid.NewGuid();
            await conversation.SendAsync(clientMessageId, text);

            var ack = await conversation.ReceiveAsync();
            ack.GetProperty("type").GetString().Should().Be("ack");
            ack.GetProperty("clientMessageId").GetString().Should().Be(clientMessageId.ToString());
            var seq = ack.GetProperty("seq").GetInt64();
            seq.Should().Be((2 * turn) - 1);

            var deltas = new StringBuilder();
            var frame = await conversation.ReceiveAsync();
            while (frame.GetProperty("type").GetString() == "patient.delta")
            {
                frame.GetProperty("seq").GetInt64().Should().Be(seq + 1);
                deltas.Append(frame.GetProperty("text").GetString());
                frame = await conversation.ReceiveAsync();
            }

            frame.GetProperty("type").GetString().Should().Be("patient.done");
            frame.GetProperty("seq").GetInt64().Should().Be(seq + 1);
            frame.GetProperty("text").GetString().Should().Be(PatientStandIn.ReplyTo(text)).And.Be(deltas.ToString());
        }

        var messages = await StoredAsync(session);
        messages.Should().HaveCount(20);
        messages.Select(m => m.Seq).Should().Equal(Enumerable.Range(1, 20).Select(i => (long)i));
        messages.Select(m => m.Speaker).Should().Equal(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? Speaker.Learner : Speaker.Patient));

        // ai got the whole conversation before each utterance, as clinician and patient turns.
        var last = _patient.Requests[^1];
        last.GetProperty("history").GetArrayLength().Should().Be(18);
        last.GetProperty("history")[0].GetProperty("speaker").GetString().Should().Be("clinician");
        last.GetProperty("history")[1].GetProperty("speaker").GetString().Should().Be("patient");
        last.GetProperty("scenarioId").GetGuid().Should().Be(_sessions.Session(session).ScenarioId);

        using var http = _factory.CreateClient(_learner);
        var transcript = await http.GetFromJsonAsync<JsonElement>($"/v1/realtime/sessions/{session}/transcript");
        transcript.GetProperty("turns").GetArrayLength().Should().Be(20);
    }

    [Fact]
    public async Task A_resent_utterance_is_acknowledged_with_its_first_number_and_neither_stored_nor_answered_again()
    {
        var session = _sessions.Start(_learner);
        await using var conversation = await ConnectAsync(session, _learner);
        var clientMessageId = Guid.NewGuid();
        await conversation.SendAsync(clientMessageId, "Hello, I'm Dr Shah.");
        var first = await conversation.ReceiveAsync();
        await conversation.ReceiveUntilAsync("patient.done");

        await conversation.SendAsync(clientMessageId, "Hello, I'm Dr Shah.");
        var again = await conversation.ReceiveAsync();

        again.GetProperty("type").GetString().Should().Be("ack");
        again.GetProperty("seq").GetInt64().Should().Be(first.GetProperty("seq").GetInt64());
        (await StoredAsync(session)).Should().HaveCount(2);
        _patient.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_connection_dropped_mid_reply_loses_nothing_the_reply_is_replayed_once_on_reconnection()
    {
        var session = _sessions.Start(_learner);
        long seq;
        _patient.HoldNextReply();
        var conversation = await ConnectAsync(session, _learner);
        await conversation.SendAsync(Guid.NewGuid(), "Can you tell me what brought you in?");
        seq = (await conversation.ReceiveAsync()).GetProperty("seq").GetInt64();
        await _patient.FirstPieceSent.Task.WaitAsync(Patience);
        (await conversation.ReceiveAsync()).GetProperty("type").GetString().Should().Be("patient.delta");

        conversation.Abort();
        _patient.Release();
        await WaitUntilAsync(async () => (await StoredAsync(session)).Count == 2);

        await using var resumed = await ConnectAsync(session, _learner, after: seq);
        var replayed = await resumed.ReceiveAsync();
        replayed.GetProperty("type").GetString().Should().Be("message");
        replayed.GetProperty("speaker").GetString().Should().Be("patient");
        replayed.GetProperty("seq").GetInt64().Should().Be(seq + 1);
        replayed.GetProperty("text").GetString().Should().Be(PatientStandIn.ReplyTo("Can you tell me what brought you in?"));

        // The next turn continues the numbering; nothing was replayed twice.
        await resumed.SendAsync(Guid.NewGuid(), "Thank you.");
        var ack = await resumed.ReceiveAsync();
        ack.GetProperty("type").GetString().Should().Be("ack");
        ack.GetProperty("seq").GetInt64().Should().Be(seq + 2);
        (await resumed.ReceiveUntilAsync("patient.done")).GetProperty("seq").GetInt64().Should().Be(seq + 3);
        (await StoredAsync(session)).Select(m => m.Seq).Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task Reconnecting_from_zero_replays_the_whole_conversation_in_order()
    {
        var session = _sessions.Start(_learner);
        await using (var conversation = await ConnectAsync(session, _learner))
        {
            foreach (var text in new[] { "Hello.", "What worries you most?" })
            {
                await conversation.SendAsync(Guid.NewGuid(), text);
                await conversation.ReceiveUntilAsync("patient.done");
            }
        }

        await using var resumed = await ConnectAsync(session, _learner, after: 0);
        var frames = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            frames.Add(await resumed.ReceiveAsync());
        }

        frames.Select(f => f.GetProperty("type").GetString()).Should().AllBe("message");
        frames.Select(f => f.GetProperty("seq").GetInt64()).Should().Equal(1, 2, 3, 4);
        frames.Select(f => f.GetProperty("speaker").GetString()).Should().Equal("learner", "patient", "learner", "patient");
        frames[2].GetProperty("text").GetString().Should().Be("What worries you most?");
    }

    [Fact]
    public async Task A_second_connection_of_the_session_sees_the_other_ones_utterance_and_reply()
    {
        var session = _sessions.Start(_learner);
        await using var first = await ConnectAsync(session, _learner);
        await using var second = await ConnectAsync(session, _learner);

        await first.SendAsync(Guid.NewGuid(), "Shall we begin?");

        var seen = await second.ReceiveAsync();
        seen.GetProperty("type").GetString().Should().Be("message");
        seen.GetProperty("speaker").GetString().Should().Be("learner");
        seen.GetProperty("text").GetString().Should().Be("Shall we begin?");
        (await second.ReceiveUntilAsync("patient.done")).GetProperty("text").GetString().Should().Be(PatientStandIn.ReplyTo("Shall we begin?"));
    }

    [Theory]
    [InlineData("not json at all", "invalid_message")]
    [InlineData("""{"type":"shout","text":"hi"}""", "unknown_type")]
    [InlineData("""{"type":"utterance","text":"hi"}""", "invalid_message")]
    [InlineData("""{"type":"utterance","clientMessageId":"not-a-uuid","text":"hi"}""", "invalid_message")]
    [InlineData("""{"type":"utterance","clientMessageId":"0199c0de-0000-7000-8000-000000000001","text":"   "}""", "empty_utterance")]
    public async Task A_bad_message_gets_an_error_frame_and_the_connection_stays_usable(string frame, string code)
    {
        var session = _sessions.Start(_learner);
        await using var conversation = await ConnectAsync(session, _learner);

        await conversation.SendRawAsync(frame);
        var error = await conversation.ReceiveAsync();

        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("code").GetString().Should().Be(code);
        error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        await conversation.SendAsync(Guid.NewGuid(), "Still there?");
        (await conversation.ReceiveAsync()).GetProperty("type").GetString().Should().Be("ack");
        (await StoredAsync(session)).Where(m => m.Speaker == Speaker.Learner).Select(m => m.Text).Should().Equal("Still there?");
    }

    [Fact]
    public async Task An_overlong_utterance_and_too_many_utterances_get_error_frames()
    {
        var session = _sessions.Start(_learner);
        await using var conversation = await ConnectAsync(session, _learner);

        await conversation.SendAsync(Guid.NewGuid(), new string('a', 2001));
        (await conversation.ReceiveAsync()).GetProperty("code").GetString().Should().Be("utterance_too_long");

        var codes = new List<string>();
        for (var i = 0; i < 13; i++)
        {
            await conversation.SendAsync(Guid.NewGuid(), $"Utterance {i}");
            var frame = await conversation.ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "ack")
            {
                await conversation.ReceiveUntilAsync("patient.done");
                codes.Add("ack");
            }
            else
            {
                codes.Add(frame.GetProperty("code").GetString()!);
            }
        }

        // The overlong one was refused before it counted: 12 a minute.
        codes.Should().Equal([.. Enumerable.Repeat("ack", 12), "rate_limited"]);
        (await StoredAsync(session)).Count(m => m.Speaker == Speaker.Learner).Should().Be(12);
    }

    [Fact]
    public async Task When_ai_fails_the_utterance_stays_stored_and_the_client_gets_a_patient_unavailable_error()
    {
        var session = _sessions.Start(_learner);
        _patient.FailWith = 500;
        await using var conversation = await ConnectAsync(session, _learner);

        await conversation.SendAsync(Guid.NewGuid(), "Hello?");

        (await conversation.ReceiveAsync()).GetProperty("type").GetString().Should().Be("ack");
        (await conversation.ReceiveUntilAsync("error")).GetProperty("code").GetString().Should().Be("patient_unavailable");
        (await StoredAsync(session)).Select(m => m.Speaker).Should().Equal(Speaker.Learner);
    }

    [Fact]
    public async Task A_completed_sessions_final_transcript_is_published_once_for_its_feedback_and_an_abandoned_ones_is_not()
    {
        var completed = _sessions.Start(_learner);
        var abandoned = _sessions.Start(_learner);
        await using (var conversation = await ConnectAsync(completed, _learner))
        {
            await conversation.SendAsync(Guid.NewGuid(), "Hello, I'm one of the doctors.");
            await conversation.ReceiveUntilAsync("patient.done");
            await conversation.SendAsync(Guid.NewGuid(), "What brought you in today?");
            await conversation.ReceiveUntilAsync("patient.done");
        }

        var bus = _factory.Services.GetRequiredService<PracticePlatform.EventBus.IEventBus>();
        var ended = new IntegrationEvents.Events.PracticeSessionCompleted(completed, DateTimeOffset.UtcNow);
        await bus.PublishAsync(ended);
        await bus.PublishAsync(ended);
        await bus.PublishAsync(new IntegrationEvents.Events.PracticeSessionAbandoned(abandoned, DateTimeOffset.UtcNow));

        var redis = _factory.Services.GetRequiredService<PracticePlatform.Redis.RedisClient>();
        async Task<List<JsonElement>> PublishedAsync() =>
            (await redis.StreamRangeAsync($"events-{_factory.DatabaseName}:TranscriptFinalized"))
                .Select(e => JsonDocument.Parse(e.Fields["payload"]).RootElement)
                .ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await PublishedAsync()).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(500);
        var transcript = (await PublishedAsync()).Should().ContainSingle().Subject;
        transcript.GetProperty("sessionId").GetGuid().Should().Be(completed);
        var turns = transcript.GetProperty("turns").EnumerateArray().ToList();
        turns.Select(t => t.GetProperty("speaker").GetString()).Should().Equal("clinician", "patient", "clinician", "patient");
        turns.Select(t => t.GetProperty("index").GetInt32()).Should().Equal(0, 1, 2, 3);
        turns[2].GetProperty("text").GetString().Should().Be("What brought you in today?");
        var stored = await StoredAsync(completed);
        turns.Select(t => t.GetProperty("text").GetString()).Should().Equal(stored.Select(m => m.Text), "the event carries the stored transcript");
    }

    [Fact]
    public async Task Once_the_session_has_ended_an_utterance_gets_session_ended_and_is_not_stored()
    {
        var session = _sessions.Start(_learner);
        await using var conversation = await ConnectAsync(session, _learner);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var handlers = ActivatorUtilities.CreateInstance<IntegrationEvents.EventHandling.SessionEndedHandlers>(scope.ServiceProvider);
            await handlers.HandleAsync(new IntegrationEvents.Events.PracticeSessionCompleted(session, DateTimeOffset.UtcNow), CancellationToken.None);
        }

        await conversation.SendAsync(Guid.NewGuid(), "Are you still there?");

        (await conversation.ReceiveAsync()).GetProperty("code").GetString().Should().Be("session_ended");
        (await StoredAsync(session)).Should().BeEmpty();
    }

    [Fact]
    public async Task Only_the_sessions_learner_connects_and_only_while_it_is_active()
    {
        var session = _sessions.Start(_learner);
        var educator = TestUser.Educator(_learner.InstitutionId!.Value, _learner.CohortId!.Value);

        (await RefusalAsync(session, educator)).Should().Contain("403");
        (await RefusalAsync(session, TestUser.Learner(Guid.CreateVersion7()))).Should().Contain("404");
        (await RefusalAsync(Guid.CreateVersion7(), _learner)).Should().Contain("404");
        (await RefusalAsync(session, user: null)).Should().Contain("401");

        _sessions.Session(session).Status = "completed";
        (await RefusalAsync(session, _learner)).Should().Contain("409");

        using var http = _factory.CreateClient(_learner);
        var plain = await http.GetAsync($"/v1/realtime/sessions/{session}");
        await plain.ShouldBeProblemAsync(System.Net.HttpStatusCode.BadRequest);
    }

    private async Task<string> RefusalAsync(Guid session, TestUser? user)
    {
        var act = async () => await ConnectAsync(session, user);
        var refused = await act.Should().ThrowAsync<Exception>();
        return refused.Which.Message;
    }

    private async Task<Conversation> ConnectAsync(Guid session, TestUser? user, long? after = null)
    {
        var client = _factory.Server.CreateWebSocketClient();
        var query = user is null ? string.Empty : $"?access_token={_factory.Tokens.Issue(user)}";
        if (after is { } seq)
        {
            query += (query.Length == 0 ? "?" : "&") + $"after={seq}";
        }

        var socket = await client.ConnectAsync(new Uri($"ws://localhost/v1/realtime/sessions/{session}{query}"), CancellationToken.None);
        return new Conversation(socket);
    }

    private async Task<List<SessionMessage>> StoredAsync(Guid session)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        return await db.SessionMessages.AsNoTracking().Where(m => m.PracticeSessionId == session).OrderBy(m => m.Seq).ToListAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within {0}", Patience);
            await Task.Delay(20);
        }
    }

    /// <summary>A client end of the session's WebSocket.</summary>
    private sealed class Conversation(WebSocket socket) : IAsyncDisposable
    {
        public Task SendAsync(Guid clientMessageId, string text) =>
            SendRawAsync(JsonSerializer.Serialize(new { type = "utterance", clientMessageId, text }));

        public Task SendRawAsync(string json) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        public async Task<JsonElement> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            var buffer = new byte[64 * 1024];
            var length = 0;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                result.MessageType.Should().Be(WebSocketMessageType.Text, "the server keeps the connection open");
                length += result.Count;
                if (result.EndOfMessage)
                {
                    return JsonSerializer.Deserialize<JsonElement>(buffer.AsSpan(0, length));
                }
            }
        }

        public async Task<JsonElement> ReceiveUntilAsync(string type)
        {
            while (true)
            {
                var frame = await ReceiveAsync();
                if (frame.GetProperty("type").GetString() == type)
                {
                    return frame;
                }
            }
        }

        public void Abort() => socket.Abort();

        public async ValueTask DisposeAsync()
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }

            socket.Dispose();
        }
    }
}

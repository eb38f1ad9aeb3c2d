using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.Model;
using PracticePlatform.Testing;

namespace PracticePlatform.Realtime.Tests;

[Collection(ServersCollection.Name)]
public sealed partial class RealtimeServiceTests : ServiceConformanceTests<Program, RealtimeDbContext>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly Guid _institution = Guid.CreateVersion7();

    /// <summary>The owner's cohort: the educators who teach it may read the owner's records.</summary>
    private readonly Guid _cohort = Guid.CreateVersion7();
    private readonly TestUser _learner;
    private SessionsStandIn _sessions = null!;

    public RealtimeServiceTests(ServersFixture servers)
        : base(servers, "realtimedb") => _learner = TestUser.Learner(_institution, _cohort);

    protected override string DocumentedPath => "/v1/realtime/sessions/{id}/transcript";

    /// <summary>The learner who started the sessions of these tests.</summary>
    private HttpClient Learner { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        _sessions = await SessionsStandIn.StartAsync();
        Factory.Settings["services:sessions:http:0"] = _sessions.Address;
        Factory.Settings["HttpClientDefaults:Resilience:RetryBaseDelay"] = "00:00:00.010";
        await base.InitializeAsync();
        Learner = CreateClient(_learner);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _sessions.DisposeAsync();
    }

    /// <summary>A session the learner of these tests started, as the sessions service knows it.</summary>
    private Guid NewSession() => _sessions.Start(_learner);

    private static SessionMessage Message(
        Guid sessionId, long seq, Speaker speaker, string text, Guid? clientMessageId = null, DateTimeOffset? at = null)
    {
        return new SessionMessage
        {
            PracticeSessionId = sessionId,
            Seq = seq,
            Speaker = speaker,
            Text = text,
            ClientMessageId = clientMessageId,
            CreatedAt = at ?? Start.AddSeconds(seq),
        };
    }

    private async Task StoreAsync(params SessionMessage[] messages)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RealtimeDbContext>();
        db.SessionMessages.AddRange(messages);
        await db.SaveChangesAsync();
    }

    /// <summary>The transcript as it goes over the wire, so the speaker names are checked as clients read them.</summary>
    private async Task<List<(int Index, string Speaker, string Text, DateTimeOffset At)>> TranscriptAsync(Guid sessionId, string query = "")
    {
        var transcript = await Learner.GetFromJsonAsync<JsonElement>($"/v1/realtime/sessions/{sessionId}/transcript{query}");
        return transcript.GetProperty("turns").EnumerateArray()
            .Select(t => (
                t.GetProperty("index").GetInt32(),
                t.GetProperty("speaker").GetString()!,
                t.GetProperty("text").GetString()!,
                t.GetProperty("at").GetDateTimeOffset()))
            .ToList();
    }

    [Fact]
    public async Task A_session_without_messages_has_an_empty_transcript()
    {
        var turns = await TranscriptAsync(NewSession());

        turns.Should().BeEmpty();
    }

    [Fact]
    public async Task The_transcript_is_in_sequence_order_with_the_learner_named_clinician()
    {
        // Stored out of order, with clocks that disagree with the sequence: only seq decides the order.
        var sessionId = NewSession();
        await StoreAsync(Message(sessionId, 3, Speaker.Learner, "What worries you most about it?", at: Start.AddSeconds(1)));
        await StoreAsync(Message(sessionId, 2, Speaker.Patient, "My chest gets tight when I climb the stairs.", at: Start.AddSeconds(3)));
        await StoreAsync(Message(Guid.CreateVersion7(), 2, Speaker.Learner, "A message from another session."));
        await StoreAsync(Message(sessionId, 1, Speaker.Learner, "Hello, I'm one of the doctors. What brings you in today?", at: Start.AddSeconds(5)));

        var turns = await TranscriptAsync(sessionId);

        turns.Should().Equal(
            (0, "clinician", "Hello, I'm one of the doctors. What brings you in today?", Start.AddSeconds(5)),
            (1, "patient", "My chest gets tight when I climb the stairs.", Start.AddSeconds(3)),
            (2, "clinician", "What worries you most about it?", Start.AddSeconds(1)));
    }

    [Theory]
    [InlineData("?after=1", 1, 2)]
    [InlineData("?after=3", 2, 1)]
    [InlineData("?after=0", 0, 3)]
    [InlineData("?after=-1", 0, 3)]
    [InlineData("?after=4", 3, 0)]
    public async Task After_returns_only_later_turns_numbered_by_their_place_in_the_whole_conversation(
        string query, int firstIndex, int count)
    {
        var sessionId = NewSession();
        await StoreAsync(
            Message(sessionId, 1, Speaker.Learner, "one"),
            Message(sessionId, 2, Speaker.Patient, "two"),
            Message(sessionId, 4, Speaker.Learner, "four"));
        var whole = await TranscriptAsync(sessionId);

        var turns = await TranscriptAsync(sessionId, query);

        turns.Should().Equal(whole.Skip(firstIndex).Take(count));
    }

    [Fact]
    public async Task An_after_below_minus_one_is_a_400_problem_naming_the_field()
    {
        var response = await Learner.GetAsync($"/v1/realtime/sessions/{NewSession()}/transcript?after=-2");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Should().Equal("after");
    }

    [Fact]
    public async Task A_session_cannot_store_two_messages_at_the_same_sequence_number()
    {
        var sessionId = NewSession();
        await StoreAsync(Message(sessionId, 1, Speaker.Learner, "first"));

        var storing = () => StoreAsync(Message(sessionId, 1, Speaker.Patient, "second"));

        await storing.Should().ThrowAsync<DbUpdateException>();
        (await TranscriptAsync(sessionId)).Select(t => t.Text).Should().Equal("first");
    }

    [Fact]
    public async Task A_session_stores_a_resent_client_message_only_once()
    {
        var sessionId = NewSession();
        var clientMessageId = Guid.NewGuid();
        await StoreAsync(Message(sessionId, 1, Speaker.Learner, "Hello", clientMessageId));

        var storing = () => StoreAsync(Message(sessionId, 2, Speaker.Learner, "Hello", clientMessageId));

        await storing.Should().ThrowAsync<DbUpdateException>();
        (await TranscriptAsync(sessionId)).Should().ContainSingle();
    }

    [Fact]
    public async Task Sequence_numbers_and_client_ids_are_unique_only_within_a_session_and_messages_may_lack_a_client_id()
    {
        var clientMessageId = Guid.NewGuid();
        var first = NewSession();
        var second = NewSession();

        await StoreAsync(
            Message(first, 1, Speaker.Learner, "Hello", clientMessageId),
            Message(second, 1, Speaker.Learner, "Hello", clientMessageId),
            Message(first, 2, Speaker.Patient, "Hi"),
            Message(first, 3, Speaker.Patient, "Doctor?"));

        (await TranscriptAsync(first)).Should().HaveCount(3);
        (await TranscriptAsync(second)).Should().ContainSingle();
    }
}

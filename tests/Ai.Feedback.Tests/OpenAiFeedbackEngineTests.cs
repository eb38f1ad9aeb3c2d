using System.Diagnostics;
using System.Text.Json;
using PracticePlatform.Ai.Feedback.Offline;
using PracticePlatform.Ai.Feedback.OpenAi;
using static PracticePlatform.Ai.Feedback.Tests.Consultations;

namespace PracticePlatform.Ai.Feedback.Tests;

/// <summary>The model-backed engine against a fake OpenAI-compatible endpoint on loopback: the request, the validation
/// of the model's answer, and the offline fallback when the endpoint fails.</summary>
public sealed class OpenAiFeedbackEngineTests : IAsyncLifetime
{
    private const string ConfiguredModel = "feedback-model";

    private static readonly ConsultationTranscript Transcript = Of(
        "C: Hello, I'm Dr Patel. What brings you in today?",
        "P: I've had a cough for a week and I'm worried about it.",
        "C: Sorry to hear that. Is it keeping you up at night?",
        "P: Yes, a bit.",
        "C: It sounds like a viral infection. If you get short of breath, call us straight away.",
        "P: OK.");

    private static readonly string[] ModelStrengths = ["You named the patient's worry."];
    private static readonly string[] ModelGoals = ["Ask about concerns.", "Summarise."];

    private FakeChatCompletions _server = null!;

    public Task InitializeAsync()
    {
        _server = FakeChatCompletions.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_request_asks_for_json_with_the_rubric_and_the_numbered_transcript()
    {
        _server.Content = ModelAnswer();

        await Engine().AssessAsync(new FeedbackRequest(Transcript, FeedbackScenario.None), CancellationToken.None);

        var request = _server.Requests.Should().ContainSingle().Subject.RootElement;
        request.GetProperty("model").GetString().Should().Be(ConfiguredModel);
        request.GetProperty("response_format").GetProperty("type").GetString().Should().Be("json_object");
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        messages[0].GetProperty("role").GetString().Should().Be("system");
        var instructions = Text(messages[0]);
        foreach (var code in ConsultationRubric.Codes)
        {
            instructions.Should().Contain(code);
        }

        instructions.Should().Contain(ConsultationRubric.Version).And.Contain("a bare tag");
        Text(messages[1]).Should().Contain("[0] clinician: Hello, I'm Dr Patel. What brings you in today?")
            .And.Contain("[1] patient: I've had a cough for a week");
    }

    [Fact]
    public async Task A_valid_answer_is_validated_and_returned_with_the_model_and_usage()
    {
        _server.Content = ModelAnswer();

        var result = await Engine().AssessAsync(new FeedbackRequest(Transcript, FeedbackScenario.None), CancellationToken.None);

        result.ProducedBy.Name.Should().Be("openai");
        result.ProducedBy.Model.Should().Be(FakeChatCompletions.ReportedModel);
        result.ProducedBy.PromptVersion.Should().Be(OpenAiFeedbackEngine.PromptVersion);
        result.Usage!.InputTokens.Should().Be(FakeChatCompletions.PromptTokens);
        result.Usage.OutputTokens.Should().Be(FakeChatCompletions.CompletionTokens);
        result.Usage.Latency.Should().BePositive();

        var assessment = result.Assessment;
        assessment.Items.Select(i => i.Code).Should().Equal(ConsultationRubric.Codes, "unknown codes are dropped and missing ones filled in");
        assessment.GlobalRating.Should().Be(4);
        assessment.Strengths.Should().Equal("You named the patient's worry.");

        var greeting = assessment.Item("greeting");
        greeting.Evidence.Should().Equal(new EvidenceQuote(0, "Hello, I'm Dr Patel."));

        // The invented quote becomes the start of the turn; the patient turn and the turn that does not exist are dropped.
        var empathy = assessment.Item("empathy");
        empathy.Evidence.Should().Equal(new EvidenceQuote(2, Transcript.Turns[2].Text));
        empathy.Suggestion.Should().Be("Try: that must be worrying.");

        var concerns = assessment.Item("concerns");
        concerns.Present.Should().BeFalse();
        concerns.MissedOpportunity.Should().Be(new MissedOpportunity(1, "I'm worried about it", "Ask what worries them."));

        // Not in the model's answer: the offline engine's assessment of the item.
        var offline = OfflineFeedbackEngine.Assess(new FeedbackRequest(Transcript, FeedbackScenario.None));
        assessment.Item("safety_net").Should().BeEquivalentTo(offline.Item("safety_net"));
    }

    [Fact]
    public async Task A_reply_that_is_not_json_falls_back_to_the_offline_engine()
    {
        _server.Content = "Here is my assessment: the learner did well {";

        var result = await Engine().AssessAsync(new FeedbackRequest(Transcript, FeedbackScenario.None), CancellationToken.None);

        AssertOffline(result);
    }

    [Fact]
    public async Task A_server_error_falls_back_to_the_offline_engine_without_retrying()
    {
        _server.Behaviour = FakeChatCompletions.Mode.Fail;

        var result = await Engine().AssessAsync(new FeedbackRequest(Transcript, FeedbackScenario.None), CancellationToken.None);

        AssertOffline(result);
        _server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task No_answer_within_the_timeout_falls_back_to_the_offline_engine()
    {
        _server.Behaviour = FakeChatCompletions.Mode.Hang;
        var clock = Stopwatch.StartNew();

        var result = await Engine(TimeSpan.FromSeconds(1)).AssessAsync(new FeedbackRequest(Transcript, FeedbackScenario.None), CancellationToken.None);

        AssertOffline(result);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    private static void AssertOffline(FeedbackResult result)
    {
        result.ProducedBy.Name.Should().Be("offline");
        result.Usage.Should().BeNull();
        result.Assessment.Should().BeEquivalentTo(OfflineFeedbackEngine.Assess(new FeedbackRequest(Transcript, FeedbackScenario.None)));
    }

    private OpenAiFeedbackEngine Engine(TimeSpan? timeout = null) => new(
        new OpenAiFeedbackOptions { Endpoint = _server.Endpoint, Model = ConfiguredModel, Timeout = timeout ?? TimeSpan.FromSeconds(30) },
        new OfflineFeedbackEngine());

    private static string ModelAnswer() => JsonSerializer.Serialize(new
    {
        items = new object[]
        {
            new { code = "greeting", present = true, evidence = new[] { new { turn = 0, quote = "Hello, I'm Dr Patel." } }, missedOpportunity = (object?)null, suggestion = (string?)null },
            new
            {
                code = "empathy",
                present = true,
                evidence = new[] { new { turn = 2, quote = "I am so sorry about your cough." }, new { turn = 1, quote = "worried" }, new { turn = 99, quote = "x" } },
                missedOpportunity = (object?)null,
                suggestion = "Try: that must be worrying.",
            },
            new
            {
                code = "concerns",
                present = false,
                evidence = Array.Empty<object>(),
                missedOpportunity = (object)new { turn = 1, cue = "I'm worried about it", note = "Ask what worries them." },
                suggestion = "Ask: what worries you most?",
            },
            new { code = "bedside_manner", present = true, evidence = Array.Empty<object>(), missedOpportunity = (object?)null, suggestion = (string?)null },
        },
        globalRating = 4,
        strengths = ModelStrengths,
        goals = ModelGoals,
    });

    private static string Text(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}

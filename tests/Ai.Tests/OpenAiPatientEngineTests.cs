using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.EventHandling;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Patient;
using PracticePlatform.Ai.Patient.OpenAi;
using PracticePlatform.Testing;

namespace PracticePlatform.Ai.Tests;

/// <summary>
/// The OpenAI-compatible simulated patient against a real HTTP endpoint (<see cref="FakeChatCompletions"/>, Kestrel on
/// loopback speaking the chat completions streaming format), built through the ai service's own registration: the
/// request it sends, the streamed reply and its metering, and the offline fallback when the endpoint fails or hangs.
/// </summary>
public sealed class OpenAiPatientEngineTests : IAsyncLifetime
{
    private const string Slug = "acute-chest-pain-emergency-department";

    private FakeChatCompletions _server = null!;

    public async Task InitializeAsync() => _server = await FakeChatCompletions.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_request_carries_the_model_the_persona_and_the_conversation_in_order()
    {
        using var host = Host(_server.Endpoint);
        var engine = host.Services.GetRequiredService<IPatientEngine>();
        var history = new List<ConversationTurn>
        {
            new(ConversationSpeaker.Clinician, "Hello, I'm Dr Patel, one of the doctors here."),
            new(ConversationSpeaker.Patient, "Hiya doc. It's probably just heartburn."),
            new(ConversationSpeaker.Clinician, "Can you tell me about the pain?"),
            new(ConversationSpeaker.Patient, "It's like someone parked a van on my chest."),
        };

        await ReplyAsync(engine, history, "Do you smoke at all?");

        var request = _server.Requests.Should().ContainSingle().Subject.RootElement;
        request.GetProperty("model").GetString().Should().Be(FakeChatCompletions.ConfiguredModel);
        request.GetProperty("stream").GetBoolean().Should().BeTrue();
        var messages = request.GetProperty("messages").EnumerateArray().Select(m => (Role: m.GetProperty("role").GetString(), Text: Text(m.GetProperty("content")))).ToList();
        messages[0].Role.Should().Be("system");
        messages[0].Text.Should().Contain("Darren Okafor")
            .And.Contain("He took cocaine at a friend's fortieth birthday party last night")
            .And.Contain("Reveal only when: The learner asks non-judgementally about recreational or street drugs.")
            .And.Contain("Never reveal a hidden fact unless the clinician asks about it")
            .And.Contain(OpenAiPatientEngine.PromptVersion)
            .And.Contain("Never mention being an AI");
        messages.Skip(1).Should().Equal(
            ("user", history[0].Text),
            ("assistant", history[1].Text),
            ("user", history[2].Text),
            ("assistant", history[3].Text),
            ("user", "Do you smoke at all?"));
    }

    [Fact]
    public async Task The_reply_streams_the_endpoints_tokens_and_reports_its_model_and_usage()
    {
        _server.Pieces = ["I smoke", " about twenty", " roll-ups a day,", " have done since I was sixteen."];
        using var host = Host(_server.Endpoint);
        var engine = host.Services.GetRequiredService<IPatientEngine>();

        var (deltas, final) = await ReplyAsync(engine, [], "Do you smoke?");

        engine.Provider.Should().Be("openai");
        deltas.Should().Equal(_server.Pieces);
        final.Text.Should().Be(string.Concat(deltas)).And.Be("I smoke about twenty roll-ups a day, have done since I was sixteen.");
        final.Provider.Should().Be("openai");
        final.Model.Should().Be(FakeChatCompletions.ReportedModel);
        final.Usage.Should().Be(new TokenUsage(FakeChatCompletions.PromptTokens, FakeChatCompletions.CompletionTokens));
        final.Intent.Should().Be("llm");
        final.EmotionalState.Should().NotBeNullOrWhiteSpace();
        final.DisclosedFacts.Should().Equal("smokes_twenty_a_day");
        _server.Requests.Single().RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_server_error_is_answered_by_the_offline_engine()
    {
        _server.Behaviour = FakeChatCompletions.Mode.Fail;
        using var host = Host(_server.Endpoint);

        var (deltas, final) = await ReplyAsync(host.Services.GetRequiredService<IPatientEngine>(), [], "Hello, I'm one of the doctors. What brought you in today?");

        _server.Requests.Should().ContainSingle("a failed call is not retried");
        final.Provider.Should().Be("offline");
        final.Model.Should().Be(OfflinePatientEngine.ModelName);
        final.Text.Should().NotBeNullOrWhiteSpace().And.Be(string.Concat(deltas));
    }

    [Fact]
    public async Task A_hang_beyond_the_timeout_is_answered_by_the_offline_engine()
    {
        _server.Behaviour = FakeChatCompletions.Mode.Hang;
        using var host = Host(_server.Endpoint, timeout: "1");
        var clock = Stopwatch.StartNew();

        var (deltas, final) = await ReplyAsync(host.Services.GetRequiredService<IPatientEngine>(), [], "Hello, I'm one of the doctors. What brought you in today?");

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        _server.Requests.Should().ContainSingle();
        final.Provider.Should().Be("offline");
        final.Text.Should().NotBeNullOrWhiteSpace().And.Be(string.Concat(deltas));
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_answered_by_the_offline_engine()
    {
        using var host = Host("http://127.0.0.1:9/v1");

        var (_, final) = await ReplyAsync(host.Services.GetRequiredService<IPatientEngine>(), [], "Hello");

        final.Provider.Should().Be("offline");
    }

    [Fact]
    public async Task A_stream_cut_short_ends_with_the_text_so_far_and_invents_nothing()
    {
        _server.Pieces = ["It's a heavy", " pain right in", " the middle of", " my chest."];
        _server.Behaviour = FakeChatCompletions.Mode.CutAfterTwo;
        using var host = Host(_server.Endpoint);

        var (deltas, final) = await ReplyAsync(host.Services.GetRequiredService<IPatientEngine>(), [], "Where is the pain?");

        deltas.Should().Equal("It's a heavy", " pain right in");
        final.Text.Should().Be("It's a heavy pain right in");
        final.Provider.Should().Be("openai");
        final.Usage.OutputTokens.Should().BeGreaterThan(0, "the usage is estimated when the endpoint sent none");
    }

    [Fact]
    public void Without_an_endpoint_and_a_model_the_offline_engine_plays_alone()
    {
        using var host = Host(endpoint: null);

        host.Services.GetRequiredService<IPatientEngine>().Should().BeOfType<OfflinePatientEngine>();
    }

    private static IHost Host(string? endpoint, string timeout = "20")
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:OpenAI:Endpoint"] = endpoint,
            ["Ai:OpenAI:Model"] = FakeChatCompletions.ConfiguredModel,
            ["Ai:OpenAI:ApiKey"] = "test-key",
            ["Ai:OpenAI:Timeout"] = timeout,
        });
        builder.Logging.ClearProviders();
        builder.AddPatientEngine();
        return builder.Build();
    }

    private static async Task<(List<string> Deltas, PatientReply Final)> ReplyAsync(IPatientEngine engine, IReadOnlyList<ConversationTurn> history, string utterance)
    {
        var scenario = PatientScenario.Parse(JsonDocument.Parse(await File.ReadAllTextAsync(SeedPath(Slug))).RootElement);
        var deltas = new List<string>();
        PatientReply? final = null;
        await foreach (var chunk in engine.ReplyAsync(new PatientTurnRequest(scenario, history, utterance), CancellationToken.None))
        {
            final.Should().BeNull("the final reply comes last");
            if (chunk.Final is not null)
            {
                final = chunk.Final;
            }
            else
            {
                deltas.Add(chunk.Delta!);
            }
        }

        final.Should().NotBeNull();
        return (deltas, final!);
    }

    internal static string SeedPath(string slug) =>
        Path.Combine(RepositoryRoot.Path, "services", "Content", "Infrastructure", "SeedLibrary", $"{slug}.json");

    /// <summary>A message's content: a string, or an array of text parts.</summary>
    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
}

/// <summary>The OpenAI patient through the ai HTTP API: the NDJSON done line and the metering row name the endpoint's
/// provider, model and usage.</summary>
[Collection(ServersCollection.Name)]
public sealed class OpenAiPatientReplyApiTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly ServiceFactory<Program> _factory = new(servers, "aidb");
    private readonly TestUser _learner = TestUser.Learner(Guid.CreateVersion7());
    private readonly Guid _scenarioId = Guid.CreateVersion7();
    private FakeChatCompletions _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeChatCompletions.StartAsync();
        _factory.Settings["EventBus:StreamPrefix"] = $"events-{_factory.DatabaseName}";
        _factory.Settings["Ai:OpenAI:Endpoint"] = _server.Endpoint;
        _factory.Settings["Ai:OpenAI:Model"] = FakeChatCompletions.ConfiguredModel;
        _factory.Settings["Ai:OpenAI:ApiKey"] = "test-key";
        _factory.Settings["Ai:OpenAI:Timeout"] = "00:00:05";
        using var client = _factory.CreateClient();
        (await client.GetAsync("/alive")).EnsureSuccessStatusCode();

        const string Slug = "acute-chest-pain-emergency-department";
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(OpenAiPatientEngineTests.SeedPath(Slug))).RootElement;
        await using var scope = _factory.Services.CreateAsyncScope();
        var handler = ActivatorUtilities.CreateInstance<ScenarioPublishedHandler>(scope.ServiceProvider);
        await handler.HandleAsync(
            new ScenarioPublished(_scenarioId, 1, null, Slug, document.GetProperty("title").GetString()!, DateTimeOffset.UtcNow, document),
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_done_line_and_the_usage_row_name_the_openai_provider_and_model()
    {
        using var client = _factory.CreateClient(_learner);
        var sessionId = Guid.CreateVersion7();

        var response = await client.PostAsJsonAsync("/v1/ai/patient/replies", new
        {
            sessionId,
            scenarioId = _scenarioId,
            scenarioVersion = 1,
            history = new[] { new { speaker = "clinician", text = "Hello, I'm one of the doctors." }, new { speaker = "patient", text = "Hiya." } },
            utterance = "What brought you in today?",
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var done = lines[^1];
        done.GetProperty("type").GetString().Should().Be("done");
        done.GetProperty("text").GetString().Should().Be(string.Concat(_server.Pieces))
            .And.Be(string.Concat(lines[..^1].Select(l => l.GetProperty("text").GetString())));
        done.GetProperty("provider").GetString().Should().Be("openai");
        done.GetProperty("model").GetString().Should().Be(FakeChatCompletions.ReportedModel);
        done.GetProperty("intent").GetString().Should().Be("llm");

        await using var scope = _factory.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<AiDbContext>().PatientReplyUsages.SingleAsync(u => u.PracticeSessionId == sessionId);
        usage.Provider.Should().Be("openai");
        usage.Model.Should().Be(FakeChatCompletions.ReportedModel);
        usage.InputTokens.Should().Be(FakeChatCompletions.PromptTokens);
        usage.OutputTokens.Should().Be(FakeChatCompletions.CompletionTokens);
        _server.Requests.Should().ContainSingle().Which.RootElement.GetProperty("messages").GetArrayLength().Should().Be(4);
    }
}

/// <summary>
/// A chat completions endpoint on a loopback port (Kestrel): <c>POST /v1/chat/completions</c> answers in OpenAI's
/// streaming format (Server-Sent Events: one <c>data: {chunk}</c> per piece of <see cref="Pieces"/>, a finishing chunk,
/// a usage chunk when <c>stream_options.include_usage</c> is true, then <c>data: [DONE]</c>), records each request
/// body, and can be told to fail with 500, to hang, or to drop the connection mid-stream.
/// </summary>
internal sealed class FakeChatCompletions : IAsyncDisposable
{
    public const string ConfiguredModel = "patient-test-model";
    public const string ReportedModel = "patient-test-model-2025-06-01";
    public const int PromptTokens = 321;
    public const int CompletionTokens = 17;

    private readonly WebApplication _app;

    private FakeChatCompletions(WebApplication app) => _app = app;

    public enum Mode { Stream, Fail, Hang, CutAfterTwo }

    public Mode Behaviour { get; set; }

    public string[] Pieces { get; set; } = ["Well, it started", " this morning while", " I was loading the van."];

    public ConcurrentQueue<JsonDocument> Requests { get; } = new();

    /// <summary>The base URL to configure, e.g. <c>http://127.0.0.1:5123/v1</c>.</summary>
    public string Endpoint => $"{_app.Urls.First().TrimEnd('/')}/v1";

    public static async Task<FakeChatCompletions> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeChatCompletions(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body);
        Requests.Enqueue(body);
        switch (Behaviour)
        {
            case Mode.Fail:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "The server had an error.", type = "server_error" } });
                return;
            case Mode.Hang:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return;
        }

        var includeUsage = body.RootElement.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;
        context.Response.ContentType = "text/event-stream";
        await SendAsync(context, Chunk(new { role = "assistant", content = string.Empty }, null));
        for (var i = 0; i < Pieces.Length; i++)
        {
            if (Behaviour == Mode.CutAfterTwo && i == 2)
            {
                // Let the client read what was sent: a reset discards data still unread in its socket.
                await Task.Delay(500);
                context.Abort();
                return;
            }

            await SendAsync(context, Chunk(new { content = Pieces[i] }, null));
        }

        await SendAsync(context, Chunk(new { }, "stop"));
        if (includeUsage)
        {
            await SendAsync(context, new
            {
                id = "chatcmpl-fake",
                @object = "chat.completion.chunk",
                created = 1_750_000_000,
                model = ReportedModel,
                choices = Array.Empty<object>(),
                usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
            });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static object Chunk(object delta, string? finishReason) => new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion.chunk",
        created = 1_750_000_000,
        model = ReportedModel,
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };

    private static async Task SendAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var request in Requests)
        {
            request.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PracticePlatform.Realtime.Tests;

/// <summary>
/// A real HTTP server on a loopback port answering <c>POST /v1/ai/patient/replies</c> the way ai does (NDJSON:
/// delta lines, then done): the reply is "You said: {utterance}." in three pieces. A test can hold a reply after its
/// first piece (<see cref="HoldNextReply"/>) to drop a connection mid-reply, or make ai fail. The ai service itself
/// cannot be hosted here: its Program would clash with realtime's in one test assembly.
/// </summary>
public sealed class PatientStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _requests = new();
    private TaskCompletionSource? _hold;
    private TaskCompletionSource? _held;

    private PatientStandIn(WebApplication app) => _app = app;

    public string Address => _app.Urls.Single();

    /// <summary>Every request body received, in order.</summary>
    public IReadOnlyList<JsonElement> Requests => [.. _requests];

    /// <summary>When set, every reply fails with this status.</summary>
    public int? FailWith { get; set; }

    /// <summary>Completes when the held reply has sent its first piece.</summary>
    public TaskCompletionSource FirstPieceSent { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static string ReplyTo(string utterance) => $"You said: {utterance}.";

    public static async Task<PatientStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new PatientStandIn(app);
        app.MapPost("/v1/ai/patient/replies", standIn.ReplyAsync);
        await app.StartAsync();
        return standIn;
    }

    /// <summary>The next reply stops after its first piece until <see cref="Release"/>.</summary>
    public void HoldNextReply()
    {
        FirstPieceSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _held?.TrySetResult();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ReplyAsync(HttpContext http)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        _requests.Enqueue(body);
        if (FailWith is { } status)
        {
            http.Response.StatusCode = status;
            return;
        }

        var reply = ReplyTo(body.GetProperty("utterance").GetString()!);
        var third = reply.Length / 3;
        string[] pieces = [reply[..third], reply[third..(2 * third)], reply[(2 * third)..]];
        http.Response.ContentType = "application/x-ndjson";
        var hold = Interlocked.Exchange(ref _hold, null);
        for (var i = 0; i < pieces.Length; i++)
        {
            await WriteAsync(http, new { type = "delta", text = pieces[i] });
            if (i == 0 && hold is not null)
            {
                FirstPieceSent.TrySetResult();
                await hold.Task;
            }
        }

        await WriteAsync(http, new { type = "done", text = reply, provider = "stand-in", model = "echo" });
    }

    private static async Task WriteAsync(HttpContext http, object line)
    {
        await http.Response.WriteAsync(JsonSerializer.Serialize(line) + "\n");
        await http.Response.Body.FlushAsync();
    }
}

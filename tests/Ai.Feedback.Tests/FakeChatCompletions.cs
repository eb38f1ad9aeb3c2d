using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace PracticePlatform.Ai.Feedback.Tests;

/// <summary>
/// A tiny OpenAI-compatible endpoint on a free loopback port (HttpListener): every POST to .../chat/completions is
/// recorded and answered with <see cref="Content"/> as the assistant's message, a 500, or no answer at all.
/// </summary>
internal sealed class FakeChatCompletions : IAsyncDisposable
{
    public const string ReportedModel = "fake-feedback-model-2026-01";
    public const int PromptTokens = 1234;
    public const int CompletionTokens = 567;

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FakeChatCompletions(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public enum Mode
    {
        Answer,
        Fail,
        Hang,
    }

    public string Endpoint { get; }

    public Mode Behaviour { get; set; } = Mode.Answer;

    /// <summary>The assistant message's content (the model's JSON, or anything else).</summary>
    public string Content { get; set; } = "{}";

    public ConcurrentQueue<JsonDocument> Requests { get; } = new();

    public static FakeChatCompletions Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new FakeChatCompletions(port);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping the listener ends the pending GetContextAsync with one of these.
        }

        foreach (var request in Requests)
        {
            request.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (!context.Request.Url!.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        Requests.Enqueue(JsonDocument.Parse(body));
        switch (Behaviour)
        {
            case Mode.Fail:
                await WriteAsync(context.Response, 500, """{"error":{"message":"the model is having a bad day","type":"server_error"}}""");
                return;
            case Mode.Hang:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                context.Response.Abort();
                return;
            default:
                var answer = JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-fake",
                    @object = "chat.completion",
                    created = 1767225600,
                    model = ReportedModel,
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = Content }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
                });
                await WriteAsync(context.Response, 200, answer);
                return;
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}

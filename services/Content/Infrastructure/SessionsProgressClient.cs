using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PracticePlatform.Content.Infrastructure;

/// <summary>How a learner does on one consultation-essentials item: the share of their recent sessions (0 to 1) in
/// which the item was present.</summary>
public sealed record ItemProgress(string Code, double Rate);

/// <summary>Where recommendations learn a learner's progress per rubric item.</summary>
public interface ILearnerProgressSource
{
    /// <summary>The caller's progress per item; empty when they have none yet or it cannot be had right now (the
    /// recommendations then fall back to popularity and level, which is never wrong, only less personal).</summary>
    Task<IReadOnlyList<ItemProgress>> GetAsync(AuthenticationHeaderValue? authorization, CancellationToken cancellationToken);
}

/// <summary>
/// Reads <c>GET /v1/sessions/progress/me</c> from sessions, as the caller (their own token), expecting
/// <c>{ "items": [ { "code", "rate" } ] }</c>. Until sessions keeps progress, that answers 404 and the list is empty.
/// </summary>
public sealed partial class SessionsProgressClient(HttpClient http, ILogger<SessionsProgressClient> logger) : ILearnerProgressSource
{
    public async Task<IReadOnlyList<ItemProgress>> GetAsync(AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/sessions/progress/me", UriKind.Relative));
            request.Headers.Authorization = authorization;
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return [];
            }

            response.EnsureSuccessStatusCode();
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (!document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var progress = new List<ItemProgress>();
            foreach (var item in items.EnumerateArray())
            {
                if (item.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String &&
                    item.TryGetProperty("rate", out var rate) && rate.TryGetDouble(out var value))
                {
                    progress.Add(new ItemProgress(code.GetString()!, Math.Clamp(value, 0, 1)));
                }
            }

            return progress;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnavailable(logger, ex);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner progress could not be read from sessions; recommending by popularity and level")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}

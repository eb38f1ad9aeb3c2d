using System.Net;
using System.Net.Http.Headers;

namespace PracticePlatform.Sessions.Infrastructure;

/// <summary>The part of a published scenario a session needs.</summary>
public sealed record PublishedScenario(Guid Id, int Version);

/// <summary>Reads published scenarios from the content service, as the caller: content decides with the caller's
/// own access token what they may read.</summary>
public sealed class ContentClient(HttpClient http)
{
    /// <summary>The scenario, or null when content does not know it (or will not show it to the caller holding
    /// <paramref name="authorization"/>). Any other failure throws: the caller decides what an unavailable content
    /// service means.</summary>
    public async Task<PublishedScenario?> FindScenarioAsync(Guid id, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/content/scenarios/{id}", UriKind.Relative));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<PublishedScenario>(cancellationToken)
            ?? throw new InvalidOperationException($"The content service answered scenario {id} with an empty body.");
    }
}

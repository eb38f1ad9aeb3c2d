using System.Net;

namespace PracticePlatform.Sessions.Infrastructure;

/// <summary>The part of a published scenario a session needs.</summary>
public sealed record PublishedScenario(Guid Id, int Version);

/// <summary>Reads published scenarios from the content service.</summary>
public sealed class ContentClient(HttpClient http)
{
    /// <summary>The scenario, or null when content does not know it. Any other failure throws: the caller decides
    /// what an unavailable content service means.</summary>
    public async Task<PublishedScenario?> FindScenarioAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/v1/content/scenarios/{id}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<PublishedScenario>(cancellationToken)
            ?? throw new InvalidOperationException($"The content service answered scenario {id} with an empty body.");
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Sessions.Infrastructure;

/// <summary>Whether a learner may start practising a scenario (their plan, seats, quota...): asked before every
/// session starts.</summary>
public interface ISessionEntitlementPolicy
{
    /// <param name="authorization">The learner's own access token, for services that judge the caller by it.</param>
    Task<EntitlementDecision> CheckAsync(
        ICurrentUser learner, AuthenticationHeaderValue? authorization, PublishedScenario scenario, CancellationToken cancellationToken);
}

/// <summary>Allowed, or refused with the reason and what the learner can do about it.</summary>
public sealed record EntitlementDecision
{
    private EntitlementDecision(bool isAllowed, string? reason, string? remedy)
    {
        IsAllowed = isAllowed;
        Reason = reason;
        Remedy = remedy;
    }

    public static EntitlementDecision Allowed { get; } = new(true, null, null);

    public bool IsAllowed { get; }

    /// <summary>Why the learner may not start, e.g. "Your institution has used all its practice sessions this month."</summary>
    public string? Reason { get; }

    /// <summary>What to do about it, e.g. "Ask your institution admin to add seats."</summary>
    public string? Remedy { get; }

    public static EntitlementDecision Refused(string reason, string remedy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(remedy);
        return new EntitlementDecision(false, reason, remedy);
    }
}

/// <summary>
/// Asks billing, as the learner (their own access token), whether they may start a session now:
/// <c>GET /v1/billing/entitlements/me</c> → <c>{ canStartSession, reason, remedy, ... }</c>. Billing owns plans, seats
/// and allowances and caches the answer. Any failure to get an answer throws, and sessions refuses to start (503)
/// rather than give away practice it cannot account for.
/// </summary>
public sealed class BillingEntitlementPolicy(HttpClient http) : ISessionEntitlementPolicy
{
    private const string DefaultRemedy = "Ask your institution for a seat, or subscribe to a plan.";

    public async Task<EntitlementDecision> CheckAsync(
        ICurrentUser learner, AuthenticationHeaderValue? authorization, PublishedScenario scenario, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/billing/entitlements/me", UriKind.Relative));
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("canStartSession", out var allowed)
            || allowed.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new HttpRequestException("The billing service answered the entitlement check without canStartSession.");
        }

        return allowed.GetBoolean()
            ? EntitlementDecision.Allowed
            : EntitlementDecision.Refused(
                Text(answer, "reason") ?? "Your plan does not allow another practice session now.",
                Text(answer, "remedy") ?? DefaultRemedy);
    }

    private static string? Text(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}

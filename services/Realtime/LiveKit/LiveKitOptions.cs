using Microsoft.Extensions.Options;

namespace PracticePlatform.Realtime.LiveKit;

/// <summary>
/// Where the LiveKit server is and the API key pair realtime shares with it (configuration section "LiveKit"). Voice
/// and video sessions need all three of <see cref="Url"/>, <see cref="ApiKey"/> and <see cref="ApiSecret"/>; with none
/// of them set, LiveKit is simply off and only text sessions work. Setting some but not all is a mistake that stops
/// the service at start (see <see cref="LiveKitOptionsValidator"/>).
/// </summary>
/// <remarks>
/// LiveKit signs with the secret as raw UTF-8 bytes (HMAC-SHA256), so any length works, including the development
/// server's <c>devkey</c>/<c>secret</c>; LiveKit recommends at least 32 characters for a real deployment.
/// </remarks>
public sealed class LiveKitOptions
{
    public const string SectionName = "LiveKit";

    /// <summary>What clients connect to, e.g. <c>wss://practice.livekit.cloud</c>; handed to the learner's client
    /// with each join token.</summary>
    public string? Url { get; set; }

    /// <summary>The API key: the <c>iss</c> of every token realtime issues, and the only issuer it accepts on a
    /// webhook.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The API secret that signs join tokens and verifies webhooks (HS256).</summary>
    public string? ApiSecret { get; set; }

    /// <summary>How long a join token may be used to connect. LiveKit checks the expiry only when a participant first
    /// connects; reconnects and the rest of the call are not cut off by it.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The oldest webhook accepted, judged by when LiveKit signed it (the token's <c>nbf</c>). LiveKit signs
    /// each webhook for five minutes, so the default matches it; a smaller value narrows the replay window further.
    /// </summary>
    public TimeSpan WebhookMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether voice and video can be offered: URL, key and secret are all set.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Url) && !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(ApiSecret);

    /// <summary>The problem detail for a voice or video request while LiveKit is off.</summary>
    public const string NotConfiguredDetail =
        "Voice and video need LiveKit: set LiveKit:Url, LiveKit:ApiKey and LiveKit:ApiSecret";
}

/// <summary>Rejects a half-configured LiveKit at start, where the mistake is easiest to see, rather than at the first
/// voice session.</summary>
public sealed class LiveKitOptionsValidator : IValidateOptions<LiveKitOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var set = new[] { options.Url, options.ApiKey, options.ApiSecret }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (set is not 0 and not 3)
        {
            failures.Add("LiveKit:Url, LiveKit:ApiKey and LiveKit:ApiSecret must be set together (or none of them, to turn "
                + "voice and video off).");
        }

        if (!string.IsNullOrWhiteSpace(options.Url)
            && !(Uri.TryCreate(options.Url, UriKind.Absolute, out var url) && url.Scheme is "wss" or "ws" or "https" or "http"))
        {
            failures.Add($"LiveKit:Url must be an absolute ws://, wss://, http:// or https:// address; it is '{options.Url}'.");
        }

        if (options.TokenLifetime <= TimeSpan.Zero)
        {
            failures.Add("LiveKit:TokenLifetime must be positive.");
        }

        if (options.WebhookMaxAge <= TimeSpan.Zero)
        {
            failures.Add("LiveKit:WebhookMaxAge must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace PracticePlatform.Realtime.LiveKit;

/// <summary>
/// One LiveKit webhook event, as much of LiveKit's <c>WebhookEvent</c> as realtime reads.
/// <para>
/// LiveKit encodes the protobuf <c>livekit.WebhookEvent</c> with protobuf's JSON mapping: lowerCamelCase names, empty
/// fields left out, and 64-bit integers such as <c>createdAt</c> written as strings (<c>"1700000000"</c>), which is
/// why numbers are also read from strings. Events: <c>room_started</c>, <c>room_finished</c>,
/// <c>participant_joined</c>, <c>participant_left</c>, <c>participant_connection_aborted</c>, <c>track_*</c>,
/// <c>egress_*</c>, <c>ingress_*</c>. <c>room</c> is set on every room, participant and track event;
/// <c>participant</c> on participant and track events.
/// </para>
/// </summary>
/// <param name="Event">The event name, e.g. <c>participant_joined</c>.</param>
/// <param name="Id">The event's unique id (LiveKit: "unique event uuid"); the same id on a retried delivery.</param>
/// <param name="CreatedAt">When the event happened, in Unix seconds; 0 when absent.</param>
public sealed record LiveKitWebhookPayload(
    string? Event,
    string? Id,
    long CreatedAt,
    LiveKitWebhookRoom? Room,
    LiveKitWebhookParticipant? Participant);

/// <param name="Name">The room name realtime chose (<c>practice-…</c>).</param>
/// <param name="Sid">LiveKit's id of this instance of the room (<c>RM_…</c>): a room that empties, closes and is
/// joined again gets a new one.</param>
public sealed record LiveKitWebhookRoom(string? Name, string? Sid);

/// <param name="Identity">The token's <c>sub</c>: for a learner, the user id.</param>
/// <param name="Sid">LiveKit's id of this connection of the participant (<c>PA_…</c>).</param>
public sealed record LiveKitWebhookParticipant(string? Identity, string? Sid, string? Name);

/// <summary>Why a webhook was not accepted.</summary>
public enum LiveKitWebhookFailure
{
    None,

    /// <summary>LiveKit is not configured, so there is no key to verify with.</summary>
    NotConfigured,

    MissingAuthorization,

    /// <summary>Not a JWT, not HS256, or the signature does not verify with the API secret.</summary>
    InvalidSignature,

    /// <summary>Signed, but not by the configured API key (<c>iss</c>).</summary>
    WrongIssuer,

    Expired,

    /// <summary>Signed longer ago than <see cref="LiveKitOptions.WebhookMaxAge"/>.</summary>
    Stale,

    /// <summary>The token's <c>sha256</c> is not that of the body: the body was changed, or belongs to another token.</summary>
    BodyMismatch,

    /// <summary>Authentic, but not a webhook event realtime can read (no event name or id).</summary>
    MalformedBody,
}

/// <summary>The outcome of <see cref="LiveKitWebhookVerifier.Verify"/>: the event, or why there is none.</summary>
public sealed record LiveKitWebhookVerification(LiveKitWebhookFailure Failure, string? Detail, LiveKitWebhookPayload? Event)
{
    public bool IsValid => Failure == LiveKitWebhookFailure.None;

    internal static LiveKitWebhookVerification Fail(LiveKitWebhookFailure failure, string detail) => new(failure, detail, null);
}

/// <summary>
/// Checks that a webhook came from LiveKit and reads its event.
/// <para>
/// LiveKit's webhook format (docs.livekit.io, "Webhooks"; the server's <c>webhook</c> package): a POST whose body is
/// the JSON event, with <c>Content-Type: application/webhook+json</c> and an <c>Authorization</c> header holding the
/// bare JWT (no "Bearer " prefix; one is tolerated here). The JWT is an access token like a join token, signed HS256
/// with the API secret of the webhook's signing key: <c>iss</c> is that API key, <c>nbf</c> the moment of sending,
/// <c>exp</c> five minutes later, and the claim <c>sha256</c> the standard (padded) base64 of the SHA-256 of the exact
/// body bytes. LiveKit's own receivers verify the signature, the issuer's secret, the lifetime and that hash; so does
/// this, with the same one-minute clock leeway as LiveKit's Go verifier, and it also refuses tokens signed longer ago
/// than <see cref="LiveKitOptions.WebhookMaxAge"/>. Replays within that window carry an event id seen before, which the
/// API processes only once.
/// </para>
/// </summary>
public sealed class LiveKitWebhookVerifier(IOptions<LiveKitOptions> options, TimeProvider time)
{
    /// <summary>The leeway for clocks that disagree, on <c>nbf</c> and <c>exp</c> (go-jose's default, which LiveKit's
    /// verifier uses).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Verifies <paramref name="authorization"/> (the request's Authorization header) against the exact bytes
    /// of <paramref name="body"/>, then reads the event.</summary>
    public LiveKitWebhookVerification Verify(string? authorization, ReadOnlySpan<byte> body)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return LiveKitWebhookVerification.Fail(LiveKitWebhookFailure.NotConfigured, LiveKitOptions.NotConfiguredDetail);
        }

        var raw = authorization?.Trim() ?? "";
        if (raw.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) && (raw.Length == 6 || char.IsWhiteSpace(raw[6])))
        {
            raw = raw[6..].Trim();
        }

        if (string.IsNullOrEmpty(raw))
        {
            return LiveKitWebhookVerification.Fail(
                LiveKitWebhookFailure.MissingAuthorization, "A LiveKit webhook carries its signed token in the Authorization header.");
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return InvalidSignature();
        }

        if (token.IsEncrypted
            || token.Alg != LiveKitJwt.Algorithm
            || !LiveKitJwt.SignatureMatches(token.EncodedHeader, token.EncodedPayload, token.EncodedSignature, settings.ApiSecret!))
        {
            return InvalidSignature();
        }

        if (!string.Equals(token.Issuer, settings.ApiKey, StringComparison.Ordinal))
        {
            return LiveKitWebhookVerification.Fail(
                LiveKitWebhookFailure.WrongIssuer, "The webhook was not signed with the configured LiveKit API key.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        // JsonWebToken reads a missing exp or nbf as DateTime.MinValue.
        if (token.ValidTo == DateTime.MinValue || now > token.ValidTo + ClockSkew)
        {
            return LiveKitWebhookVerification.Fail(LiveKitWebhookFailure.Expired, "The webhook's token has expired.");
        }

        if (token.ValidFrom != DateTime.MinValue)
        {
            if (token.ValidFrom > now + ClockSkew)
            {
                return LiveKitWebhookVerification.Fail(LiveKitWebhookFailure.Expired, "The webhook's token is not valid yet.");
            }

            if (now - token.ValidFrom > settings.WebhookMaxAge + ClockSkew)
            {
                return LiveKitWebhookVerification.Fail(
                    LiveKitWebhookFailure.Stale, "The webhook was signed too long ago to be accepted.");
            }
        }

        if (!token.TryGetPayloadValue<string>("sha256", out var claimedHash) || claimedHash is null
            || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(claimedHash), Encoding.ASCII.GetBytes(Convert.ToBase64String(SHA256.HashData(body)))))
        {
            return LiveKitWebhookVerification.Fail(
                LiveKitWebhookFailure.BodyMismatch, "The webhook's body does not match the hash its token was signed with.");
        }

        LiveKitWebhookPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<LiveKitWebhookPayload>(body, Json);
        }
        catch (JsonException)
        {
            payload = null;
        }

        return payload is { Event: { Length: > 0 }, Id: { Length: > 0 } }
            ? new LiveKitWebhookVerification(LiveKitWebhookFailure.None, null, payload)
            : LiveKitWebhookVerification.Fail(
                LiveKitWebhookFailure.MalformedBody, "The webhook's body is not a LiveKit event with an event name and an id.");
    }

    private static LiveKitWebhookVerification InvalidSignature() =>
        LiveKitWebhookVerification.Fail(
            LiveKitWebhookFailure.InvalidSignature, "The webhook's token is not an HS256 JWT signed with the LiveKit API secret.");
}

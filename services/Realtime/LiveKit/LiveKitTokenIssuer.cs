using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PracticePlatform.Realtime.LiveKit;

/// <summary>A join token and the moment it stops being accepted for a first connection.</summary>
public sealed record LiveKitJoinToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues the access tokens a LiveKit client presents to join a room.
/// <para>
/// LiveKit's access-token format (docs.livekit.io, "Tokens &amp; grants"; the server's <c>auth</c> package): a JWT
/// signed HS256 with the API secret, whose <c>iss</c> is the API key, <c>sub</c> the participant's identity (unique in
/// the room), <c>nbf</c> and <c>exp</c> its validity in Unix seconds, <c>name</c> the display name, optional
/// <c>metadata</c> (a string other participants see), and <c>video</c>, the video grant: <c>room</c>, <c>roomJoin</c>,
/// <c>canPublish</c>, <c>canSubscribe</c>, <c>canPublishData</c> and <c>canPublishSources</c> (track sources such as
/// <c>camera</c> and <c>microphone</c>; when present, only those may be published). A grant left out takes LiveKit's
/// default (publish and subscribe allowed), so every permission is written out explicitly here.
/// </para>
/// <para>
/// The room itself need not exist: LiveKit creates a room when the first participant joins with a token naming it.
/// </para>
/// </summary>
public sealed class LiveKitTokenIssuer(IOptions<LiveKitOptions> options, TimeProvider time)
{
    /// <summary>
    /// A token for <paramref name="identity"/> to join <paramref name="room"/> as <paramref name="name"/>: subscribe to
    /// everything, send data, and publish the microphone, plus the camera when <paramref name="canPublishVideo"/>.
    /// Throws <see cref="InvalidOperationException"/> when LiveKit is not configured.
    /// </summary>
    public LiveKitJoinToken Issue(string room, string identity, string name, bool canPublishVideo, string? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(room);
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        ArgumentNullException.ThrowIfNull(name);
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            throw new InvalidOperationException(LiveKitOptions.NotConfiguredDetail);
        }

        var now = time.GetUtcNow();
        var notBefore = now.ToUnixTimeSeconds();
        var expires = DateTimeOffset.FromUnixTimeSeconds(notBefore).Add(settings.TokenLifetime);

        var payload = LiveKitJwt.WriteJson(json =>
        {
            json.WriteString("iss", settings.ApiKey);
            json.WriteString("sub", identity);
            json.WriteNumber("nbf", notBefore);
            json.WriteNumber("exp", expires.ToUnixTimeSeconds());
            json.WriteString("name", name);
            if (metadata is not null)
            {
                json.WriteString("metadata", metadata);
            }

            json.WriteStartObject("video");
            json.WriteString("room", room);
            json.WriteBoolean("roomJoin", true);
            json.WriteBoolean("canPublish", true);
            json.WriteBoolean("canSubscribe", true);
            json.WriteBoolean("canPublishData", true);
            json.WriteStartArray("canPublishSources");
            if (canPublishVideo)
            {
                json.WriteStringValue("camera");
            }

            json.WriteStringValue("microphone");
            json.WriteEndArray();
            json.WriteEndObject();
        });

        return new LiveKitJoinToken(LiveKitJwt.Sign(payload, settings.ApiSecret!), expires);
    }
}

/// <summary>
/// The compact JWS (JWT) form LiveKit uses, signed HS256 with the API secret's UTF-8 bytes. Written here rather than
/// with JsonWebTokenHandler because that refuses HMAC keys under 256 bits, and LiveKit's development server runs with
/// the secret "secret"; the tests check that JsonWebTokenHandler reads and verifies what this writes.
/// </summary>
internal static class LiveKitJwt
{
    public const string Algorithm = "HS256";

    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>A JSON object written by <paramref name="writeMembers"/>, as UTF-8.</summary>
    public static byte[] WriteJson(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeMembers(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary><c>header.payload.signature</c> for the given UTF-8 JSON payload.</summary>
    public static string Sign(ReadOnlySpan<byte> payload, string secret)
    {
        var signingInput = $"{EncodedHeader}.{Base64Url.EncodeToString(payload)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Whether <paramref name="encodedSignature"/> is the HS256 signature of
    /// <c><paramref name="encodedHeader"/>.<paramref name="encodedPayload"/></c> under <paramref name="secret"/>,
    /// compared in constant time.</summary>
    public static bool SignatureMatches(string encodedHeader, string encodedPayload, string encodedSignature, string secret)
    {
        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(encodedSignature);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{encodedHeader}.{encodedPayload}"));
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticePlatform.Realtime.Conversations;

/// <summary>
/// The WebSocket protocol, JSON text frames with a "type". Client to server: <c>utterance</c>. Server to client:
/// <c>ack</c> (the utterance is stored, under <c>seq</c>), <c>patient.delta</c> (part of the reply being produced,
/// under the reply's <c>seq</c>), <c>patient.done</c> (the whole reply, stored), <c>message</c> (a stored message
/// replayed after a reconnection, or said on another connection of the same session), <c>error</c>.
/// </summary>
public static class ConversationProtocol
{
    public const string Utterance = "utterance";
    public const string Ack = "ack";
    public const string PatientDelta = "patient.delta";
    public const string PatientDone = "patient.done";
    public const string Message = "message";
    public const string Error = "error";

    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        json.MakeReadOnly(populateMissingResolver: true);
        return json;
    }
}

/// <summary>A frame from the client.</summary>
public sealed record ClientFrame(string? Type, string? ClientMessageId, string? Text);

/// <summary>A frame to the client; members a type does not use are left out.</summary>
public sealed record ServerFrame(string Type)
{
    public long? Seq { get; init; }

    public string? ClientMessageId { get; init; }

    public string? Speaker { get; init; }

    public string? Text { get; init; }

    public string? Code { get; init; }

    public string? Message { get; init; }

    public static ServerFrame AckOf(string clientMessageId, long seq) => new(ConversationProtocol.Ack) { ClientMessageId = clientMessageId, Seq = seq };

    public static ServerFrame DeltaOf(long seq, string text) => new(ConversationProtocol.PatientDelta) { Seq = seq, Text = text };

    public static ServerFrame DoneOf(long seq, string text) => new(ConversationProtocol.PatientDone) { Seq = seq, Text = text };

    public static ServerFrame MessageOf(long seq, string speaker, string text) => new(ConversationProtocol.Message) { Seq = seq, Speaker = speaker, Text = text };

    public static ServerFrame ErrorOf(string code, string message) => new(ConversationProtocol.Error) { Code = code, Message = message };
}

/// <summary>The error codes a client can meet.</summary>
public static class ConversationErrors
{
    public const string InvalidMessage = "invalid_message";
    public const string UnknownType = "unknown_type";
    public const string MessageTooLarge = "message_too_large";
    public const string EmptyUtterance = "empty_utterance";
    public const string UtteranceTooLong = "utterance_too_long";
    public const string RateLimited = "rate_limited";
    public const string SessionEnded = "session_ended";
    public const string PatientUnavailable = "patient_unavailable";
    public const string IdleTimeout = "idle_timeout";
    public const string TokenExpired = "token_expired";
}

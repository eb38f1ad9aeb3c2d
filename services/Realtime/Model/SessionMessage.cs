namespace PracticePlatform.Realtime.Model;

public enum Speaker
{
    Learner,
    Patient,
}

/// <summary>One utterance in a practice session's conversation, in the order the session received it.</summary>
public sealed class SessionMessage
{
    public const int MaxTextLength = 4000;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PracticeSessionId { get; init; }

    /// <summary>The message's place in its session's conversation; unique within the session.</summary>
    public long Seq { get; init; }

    public Speaker Speaker { get; init; }

    public required string Text { get; init; }

    /// <summary>The id the learner's client gave the message, so a resent message is stored once.</summary>
    public Guid? ClientMessageId { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>How a transcript names the two sides of the conversation.</summary>
public enum TranscriptSpeaker
{
    Clinician,
    Patient,
}

public sealed record TranscriptTurn(int Index, TranscriptSpeaker Speaker, string Text, DateTimeOffset At);

public sealed record Transcript(IReadOnlyList<TranscriptTurn> Turns);

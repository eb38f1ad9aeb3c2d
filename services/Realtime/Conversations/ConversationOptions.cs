namespace PracticePlatform.Realtime.Conversations;

/// <summary>The "Conversation" section: the limits of the live conversation.</summary>
public sealed class ConversationOptions
{
    public const string SectionName = "Conversation";

    public int MaxUtteranceLength { get; set; } = 2000;

    /// <summary>Utterances a session may send per minute; more get a "rate_limited" error.</summary>
    public int MaxUtterancesPerMinute { get; set; } = 30;

    /// <summary>A connection with nothing received for this long gets an "idle_timeout" error and is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest text frame accepted; larger ones get "message_too_large".</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024;

    /// <summary>How often, at most, realtime tells sessions a conversation is active (ConversationActivity).</summary>
    public TimeSpan ActivityReportInterval { get; set; } = TimeSpan.FromMinutes(1);
}

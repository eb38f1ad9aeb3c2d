namespace PracticePlatform.Sessions.Model;

public enum SessionActivityKind
{
    Started,
    Conversation,
    Completed,
    Abandoned,
}

/// <summary>One entry of a session's activity log, written in the same transaction as the change it records.</summary>
public sealed class SessionActivity
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid SessionId { get; init; }

    public DateTimeOffset At { get; init; }

    public SessionActivityKind Kind { get; init; }

    /// <summary>A short human-readable note ("12 utterances"), or null.</summary>
    public string? Detail { get; init; }
}

public sealed record SessionActivityItem(DateTimeOffset At, SessionActivityKind Kind, string? Detail);

/// <summary>A session's activity log, oldest first.</summary>
public sealed record SessionActivityLog(IReadOnlyList<SessionActivityItem> Items);

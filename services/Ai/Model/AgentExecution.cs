namespace PracticePlatform.Ai.Model;

public enum AgentExecutionStatus
{
    /// <summary>Waiting to run (or to run again after a failed attempt, from <see cref="AgentExecution.NotBefore"/>).</summary>
    Pending,

    /// <summary>A worker holds the lease; if the lease runs out the worker is presumed dead and another resumes.</summary>
    Running,

    Succeeded,

    Failed,
}

/// <summary>
/// One run of an agent (today: producing a feedback report) as a sequence of named steps. Each finished step leaves a
/// <see cref="AgentCheckpoint"/>, so a run interrupted by a crash resumes after its last checkpoint instead of starting
/// over; the configuration it runs with is recorded when it starts.
/// </summary>
public sealed class AgentExecution
{
    public const string FeedbackReportAgent = "feedback-report";

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Agent { get; init; }

    /// <summary>What the run is about: the practice session for a feedback report. One run per agent and subject.</summary>
    public Guid SubjectId { get; init; }

    public AgentExecutionStatus Status { get; set; } = AgentExecutionStatus.Pending;

    /// <summary>Attempts started so far (a resumed run is a new attempt).</summary>
    public int Attempts { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>The engine, model and versions the run was configured with (JSON), set by its first attempt.</summary>
    public string? Configuration { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>The durable result of one finished step of an <see cref="AgentExecution"/>.</summary>
public sealed class AgentCheckpoint
{
    public Guid ExecutionId { get; init; }

    /// <summary>The step's name, e.g. "inputs", "assessment".</summary>
    public required string Step { get; init; }

    /// <summary>What the step produced, as JSON: the next step starts from it.</summary>
    public required string State { get; init; }

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A completed session's transcript as realtime finalised it (TranscriptFinalized): the feedback report's input.</summary>
public sealed class SessionTranscript
{
    public Guid PracticeSessionId { get; init; }

    public List<SessionTranscriptTurn> Turns { get; init; } = [];

    public DateTimeOffset EndedAt { get; init; }

    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A turn as the transcript API names it: speaker "clinician" (the learner) or "patient".</summary>
public sealed record SessionTranscriptTurn(int Index, string Speaker, string Text, DateTimeOffset At);

/// <summary>What one feedback report cost: engine, model, tokens, latency and price, counted once per report.</summary>
public sealed class FeedbackUsageRecord
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ExecutionId { get; init; }

    public Guid PracticeSessionId { get; init; }

    public Guid LearnerId { get; init; }

    public Guid? InstitutionId { get; init; }

    public required string Provider { get; init; }

    public required string Model { get; init; }

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    public int LatencyMs { get; init; }

    /// <summary>In US dollars, from <c>Ai:Pricing</c>; zero for the offline engine.</summary>
    public decimal Cost { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>The history of educator overrides, append-only: the report item keeps only the newest.</summary>
public sealed class FeedbackOverrideRecord
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ReportId { get; init; }

    public Guid PracticeSessionId { get; init; }

    public required string ItemCode { get; init; }

    public bool PreviousPresent { get; init; }

    public double PreviousScore { get; init; }

    public bool Present { get; init; }

    public double Score { get; init; }

    public required string Reason { get; init; }

    public Guid EducatorId { get; init; }

    public DateTimeOffset At { get; init; }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PracticePlatform.Ai.Feedback;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus.EntityFrameworkCore;

namespace PracticePlatform.Ai.Reports;

/// <summary>
/// Makes one feedback report as an agent execution of three steps, each ending in a checkpoint: <c>inputs</c> (the
/// transcript and the scenario's rubric, frozen), <c>assessment</c> (the engine's result, with its usage and cost
/// recorded in the same commit) and <c>report</c> (the report completed and FeedbackReportGenerated put in the
/// outbox, in one commit). A run that dies resumes after its last checkpoint; a second worker that races it fails on
/// the checkpoint's key or the report's row version, so there is never a second report, usage record or event.
/// </summary>
public sealed partial class FeedbackReportAgent(
    AiDbContext db,
    IFeedbackEngine engine,
    IEventOutbox outbox,
    IOptions<FeedbackOptions> options,
    IOptions<AiPricing> pricing,
    TimeProvider time,
    ILogger<FeedbackReportAgent> logger)
{
    internal const string InputsStep = "inputs";
    internal const string AssessmentStep = "assessment";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs (or resumes) the execution this worker has just leased.</summary>
    public async Task RunAsync(Guid executionId, string leaseOwner, CancellationToken cancellationToken)
    {
        var execution = await db.AgentExecutions.SingleAsync(e => e.Id == executionId, cancellationToken);
        var report = await db.FeedbackReports.SingleAsync(r => r.PracticeSessionId == execution.SubjectId, cancellationToken);
        if (report.Status != FeedbackStatus.Pending)
        {
            // Finished by an earlier attempt whose own bookkeeping did not commit: nothing more to do.
            execution.Status = AgentExecutionStatus.Succeeded;
            execution.CompletedAt ??= time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        execution.Configuration ??= JsonSerializer.Serialize(engine.Info, Json);
        var checkpoints = await db.AgentCheckpoints.AsNoTracking()
            .Where(c => c.ExecutionId == executionId)
            .ToDictionaryAsync(c => c.Step, c => c.State, cancellationToken);

        var request = checkpoints.TryGetValue(InputsStep, out var savedInputs)
            ? JsonSerializer.Deserialize<FeedbackRequest>(savedInputs, Json)!
            : await GatherInputsAsync(execution, report, cancellationToken);
        await RenewLeaseAsync(execution, leaseOwner, cancellationToken);

        var result = checkpoints.TryGetValue(AssessmentStep, out var savedResult)
            ? JsonSerializer.Deserialize<FeedbackResult>(savedResult, Json)!
            : await AssessAsync(execution, report, request, cancellationToken);
        await RenewLeaseAsync(execution, leaseOwner, cancellationToken);

        await CompleteReportAsync(execution, report, request, result, cancellationToken);
        LogReportCompleted(logger, report.PracticeSessionId, result.ProducedBy.Name, result.Assessment.GlobalRating, execution.Attempts);
    }

    private async Task<FeedbackRequest> GatherInputsAsync(AgentExecution execution, FeedbackReport report, CancellationToken cancellationToken)
    {
        var transcript = await db.SessionTranscripts.AsNoTracking()
            .SingleAsync(t => t.PracticeSessionId == report.PracticeSessionId, cancellationToken);
        var snapshot = await db.ScenarioSnapshots.AsNoTracking()
            .FirstOrDefaultAsync(s => s.ScenarioId == report.ScenarioId && s.Version == report.ScenarioVersion, cancellationToken);
        if (snapshot is null)
        {
            LogScenarioMissing(logger, report.ScenarioId, report.ScenarioVersion, report.PracticeSessionId);
        }

        var request = new FeedbackRequest(
            new ConsultationTranscript(
                report.PracticeSessionId.ToString(),
                transcript.Turns.OrderBy(t => t.Index).Select(t => new ConsultationTurn(t.Index, t.Speaker, t.Text)).ToList()),
            FeedbackScenarioReader.Read(snapshot));
        db.AgentCheckpoints.Add(new AgentCheckpoint
        {
            ExecutionId = execution.Id, Step = InputsStep, State = JsonSerializer.Serialize(request, Json), At = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return request;
    }

    private async Task<FeedbackResult> AssessAsync(AgentExecution execution, FeedbackReport report, FeedbackRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var result = await engine.AssessAsync(request, cancellationToken);
        var elapsed = time.GetElapsedTime(started);
        var usage = result.Usage;
        db.FeedbackUsages.Add(new FeedbackUsageRecord
        {
            ExecutionId = execution.Id,
            PracticeSessionId = report.PracticeSessionId,
            LearnerId = report.LearnerId,
            InstitutionId = report.InstitutionId,
            Provider = result.ProducedBy.Name,
            Model = result.ProducedBy.Model,
            InputTokens = usage?.InputTokens ?? 0,
            OutputTokens = usage?.OutputTokens ?? 0,
            LatencyMs = (int)Math.Round((usage?.Latency ?? elapsed).TotalMilliseconds),
            Cost = pricing.Value.CostOf(result.ProducedBy.Model, usage?.InputTokens ?? 0, usage?.OutputTokens ?? 0),
            CreatedAt = time.GetUtcNow(),
        });
        db.AgentCheckpoints.Add(new AgentCheckpoint
        {
            ExecutionId = execution.Id, Step = AssessmentStep, State = JsonSerializer.Serialize(result, Json), At = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    private async Task CompleteReportAsync(
        AgentExecution execution, FeedbackReport report, FeedbackRequest request, FeedbackResult result, CancellationToken cancellationToken)
    {
        var assessment = result.Assessment;
        var items = assessment.Items.Select(ToReportItem(request.Transcript)).ToList();
        var now = time.GetUtcNow();

        report.Items = items;
        report.GlobalRating = Math.Clamp(assessment.GlobalRating, 1, 5);
        report.Strengths = [.. assessment.Strengths];
        report.Goals = [.. assessment.Goals];
        report.Comparison = await CompareWithEarlierAttemptsAsync(report, items, cancellationToken);
        report.EngineName = result.ProducedBy.Name;
        report.EngineVersion = result.ProducedBy.Version;
        report.Model = result.ProducedBy.Model;
        report.PromptVersion = result.ProducedBy.PromptVersion;
        report.RubricVersion = result.ProducedBy.RubricVersion;
        report.Revision = 1;
        report.Status = FeedbackStatus.Completed;
        report.CompletedAt = now;
        outbox.Add(FeedbackReportEvents.Generated(report, now));
        await AnnounceUsageAsync(execution, report, now, cancellationToken);

        execution.Status = AgentExecutionStatus.Succeeded;
        execution.CompletedAt = now;
        execution.LeaseOwner = null;
        execution.LeaseExpiresAt = null;
        execution.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Tells billing what the session used of the models: the simulated patient's replies (the conversation is
    /// closed by now) and this report, each as one usage record per provider and model, sent with the report.</summary>
    private async Task AnnounceUsageAsync(AgentExecution execution, FeedbackReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var replies = await db.PatientReplyUsages.AsNoTracking()
            .Where(u => u.PracticeSessionId == report.PracticeSessionId)
            .GroupBy(u => new { u.Provider, u.Model })
            .Select(g => new { g.Key.Provider, g.Key.Model, Input = g.Sum(u => u.InputTokens), Output = g.Sum(u => u.OutputTokens) })
            .ToListAsync(cancellationToken);
        foreach (var used in replies)
        {
            outbox.Add(new AiUsageRecorded(
                Guid.CreateVersion7(), AiUsageRecorded.PatientReplies, report.PracticeSessionId, report.LearnerId, report.InstitutionId,
                used.Provider, used.Model, used.Input, used.Output, pricing.Value.CostOf(used.Model, used.Input, used.Output), now));
        }

        var feedback = await db.FeedbackUsages.AsNoTracking().SingleAsync(u => u.ExecutionId == execution.Id, cancellationToken);
        outbox.Add(new AiUsageRecorded(
            feedback.Id, AiUsageRecorded.FeedbackReport, report.PracticeSessionId, report.LearnerId, report.InstitutionId,
            feedback.Provider, feedback.Model, feedback.InputTokens, feedback.OutputTokens, feedback.Cost, now));
    }

    // Evidence quotes come from the transcript itself: a quote the engine did not find verbatim is replaced by the
    // start of the turn it cites, and a turn that is not the learner's is dropped.
    private static Func<ItemAssessment, ReportItem> ToReportItem(ConsultationTranscript transcript)
    {
        var turns = transcript.Turns.ToDictionary(t => t.Index);
        return item => new ReportItem(
            item.Code,
            item.Title,
            item.Kind,
            item.Competency,
            item.Present,
            item.Score,
            item.Evidence
                .Where(e => turns.TryGetValue(e.Turn, out var turn) && turn.IsClinician)
                .Select(e => new ReportEvidence(e.Turn, turns[e.Turn].Text.Contains(e.Quote, StringComparison.Ordinal) && e.Quote.Length > 0
                    ? e.Quote
                    : turns[e.Turn].Text[..Math.Min(200, turns[e.Turn].Text.Length)]))
                .ToList(),
            item.MissedOpportunity is { } missed ? new ReportMissedOpportunity(missed.Turn, missed.Cue, missed.Note) : null,
            item.Suggestion);
    }

    private async Task<AttemptComparison> CompareWithEarlierAttemptsAsync(FeedbackReport report, IReadOnlyList<ReportItem> items, CancellationToken cancellationToken)
    {
        var earlier = await db.FeedbackReports.AsNoTracking()
            .Where(r => r.LearnerId == report.LearnerId
                && r.ScenarioId == report.ScenarioId
                && r.Status == FeedbackStatus.Completed
                && r.Id != report.Id
                && r.SessionEndedAt < report.SessionEndedAt)
            .OrderByDescending(r => r.SessionEndedAt)
            .Select(r => new { r.GlobalRating, r.Items })
            .ToListAsync(cancellationToken);
        if (earlier.Count == 0)
        {
            return new AttemptComparison(0, null, null, [], []);
        }

        var last = earlier[0];
        var before = last.Items.ToDictionary(i => i.Code, i => i.EffectivePresent, StringComparer.Ordinal);
        var now = items.ToDictionary(i => i.Code, i => i.EffectivePresent, StringComparer.Ordinal);
        return new AttemptComparison(
            earlier.Count,
            last.GlobalRating,
            report.GlobalRating - last.GlobalRating,
            now.Where(i => i.Value && before.TryGetValue(i.Key, out var was) && !was).Select(i => i.Key).ToList(),
            now.Where(i => !i.Value && before.TryGetValue(i.Key, out var was) && was).Select(i => i.Key).ToList());
    }

    /// <summary>Extends the lease after a step; a worker that lost it (another resumed the run) stops here.</summary>
    private async Task RenewLeaseAsync(AgentExecution execution, string leaseOwner, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + options.Value.Lease;
        var renewed = await db.AgentExecutions
            .Where(e => e.Id == execution.Id && e.LeaseOwner == leaseOwner && e.Status == AgentExecutionStatus.Running)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.LeaseExpiresAt, until), cancellationToken);
        if (renewed == 0)
        {
            throw new LeaseLostException(execution.Id);
        }

        execution.LeaseExpiresAt = until;
        db.Entry(execution).Property(e => e.LeaseExpiresAt).IsModified = false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback report for session {SessionId} completed by {Engine}: global rating {GlobalRating} (attempt {Attempt})")]
    private static partial void LogReportCompleted(ILogger logger, Guid sessionId, string engine, int globalRating, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No copy of scenario {ScenarioId} version {Version} for session {SessionId}: scoring the consultation essentials only (republish the scenario to fix)")]
    private static partial void LogScenarioMissing(ILogger logger, Guid scenarioId, int version, Guid sessionId);
}

/// <summary>Another worker took the run over (this one was presumed dead): this one must stop without writing.</summary>
public sealed class LeaseLostException(Guid executionId)
    : Exception($"The lease on agent execution {executionId} was taken over by another worker.");

/// <summary>The integration events a report's changes publish.</summary>
public static class FeedbackReportEvents
{
    public static FeedbackReportGenerated Generated(FeedbackReport report, DateTimeOffset at) => new(
        report.Id,
        report.PracticeSessionId,
        report.ScenarioId,
        report.ScenarioVersion,
        report.LearnerId,
        report.InstitutionId,
        report.CohortId,
        report.Revision,
        report.GlobalRating ?? 1,
        report.Items.Select(i => new FeedbackItemOutcome(i.Code, i.Title, i.Kind, i.Competency, i.EffectivePresent, i.EffectiveScore, i.Override is not null)).ToList(),
        at);
}

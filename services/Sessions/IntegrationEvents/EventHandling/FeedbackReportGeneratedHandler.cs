using Microsoft.EntityFrameworkCore;
using PracticePlatform.EventBus;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.IntegrationEvents.Events;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps the learner's progress from ai's feedback reports: stores the report's items as an assessment (or replaces
/// them when the event is a higher revision, an educator's override) and a snapshot of the learner's standing over
/// all their assessments, in one SaveChanges inside the inbox's transaction. A revision no higher than the stored
/// one (redelivered, or arriving after a later one) changes nothing.
/// </summary>
public sealed partial class FeedbackReportGeneratedHandler(SessionsDbContext db, ILogger<FeedbackReportGeneratedHandler> logger)
    : IIntegrationEventHandler<FeedbackReportGenerated>
{
    public async Task HandleAsync(FeedbackReportGenerated @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (@event.Revision < 1 || @event.Items is null)
        {
            // Retrying would not make it valid.
            LogMalformedReport(logger, @event.ReportId, @event.Revision);
            return;
        }

        // One learner's reports are applied one at a time (the lock ends with the inbox's transaction): a snapshot
        // computed from the stored assessments then includes every report committed before it, and two reports of
        // the same learner handled at once cannot both miss each other.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(@event.LearnerId)})", cancellationToken);

        var generatedAt = DatabaseTime.Truncate(@event.GeneratedAt).ToUniversalTime();
        var items = @event.Items.Select(Normalized).ToList();
        var assessment = await db.Assessments.FirstOrDefaultAsync(a => a.ReportId == @event.ReportId, cancellationToken);
        if (assessment is null)
        {
            assessment = new Assessment
            {
                ReportId = @event.ReportId,
                SessionId = @event.SessionId,
                LearnerId = @event.LearnerId,
                InstitutionId = @event.InstitutionId,
                CohortId = @event.CohortId,
                ScenarioId = @event.ScenarioId,
                ScenarioVersion = @event.ScenarioVersion,
                ReportedAt = generatedAt,
            };
            db.Assessments.Add(assessment);
        }
        else if (assessment.Revision >= @event.Revision)
        {
            LogStaleRevision(logger, @event.ReportId, @event.Revision, assessment.Revision);
            return;
        }

        assessment.Revision = @event.Revision;
        assessment.GlobalRating = @event.GlobalRating;
        assessment.GeneratedAt = generatedAt;
        assessment.ReportedAt = generatedAt < assessment.ReportedAt ? generatedAt : assessment.ReportedAt;
        assessment.Items = items;

        var others = await db.Assessments.AsNoTracking()
            .Where(a => a.LearnerId == assessment.LearnerId && a.ReportId != assessment.ReportId)
            .ToListAsync(cancellationToken);
        var standing = LearnerProgress.Compute([.. others, assessment]);
        db.ProgressSnapshots.Add(new ProgressSnapshot
        {
            LearnerId = assessment.LearnerId,
            InstitutionId = assessment.InstitutionId,
            CohortId = assessment.CohortId,
            At = generatedAt,
            ReportId = assessment.ReportId,
            SessionId = assessment.SessionId,
            Revision = assessment.Revision,
            GlobalRating = assessment.GlobalRating,
            Items = standing.ItemRates(),
            Competencies = standing.CompetencyRates(),
        });
        await db.SaveChangesAsync(cancellationToken);
        LogApplied(logger, @event.ReportId, @event.Revision, @event.LearnerId);
    }

    /// <summary>The advisory lock key of a learner: their id folded to 64 bits.</summary>
    internal static long LockKey(Guid learnerId)
    {
        Span<byte> bytes = stackalloc byte[16];
        learnerId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    private static AssessedItem Normalized(FeedbackItemOutcome item) => new(
        item.Code,
        item.Title,
        item.Kind.Trim().ToLowerInvariant(),
        item.Competency.Trim().ToLowerInvariant(),
        item.Present,
        item.Score,
        item.Overridden);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback report {ReportId} revision {Revision} has no items or no valid revision; ignored")]
    private static partial void LogMalformedReport(ILogger logger, Guid reportId, int revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback report {ReportId} revision {Revision} is not newer than the stored revision {Stored}; ignored")]
    private static partial void LogStaleRevision(ILogger logger, Guid reportId, int revision, int stored);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback report {ReportId} revision {Revision} applied to the progress of learner {LearnerId}")]
    private static partial void LogApplied(ILogger logger, Guid reportId, int revision, Guid learnerId);
}

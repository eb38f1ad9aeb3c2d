using System.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Sessions.Infrastructure;
using PracticePlatform.Sessions.Model;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Learner progress, kept from ai's feedback reports (<c>FeedbackReportGenerated</c>).</summary>
public static class ProgressApi
{
    /// <summary>The snapshots a progress document carries: the most recent ones.</summary>
    public const int MaxSnapshots = 50;

    public static RouteGroupBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/sessions/progress").WithTags("Progress");

        api.MapGet("/me", GetMyProgress)
            .WithName("GetMyProgress")
            .WithSummary("The caller's progress per rubric item and competency over their feedback reports, with snapshots over time (oldest first, the last 50, from ?since=); empty before the first report.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/learners/{learnerId:guid}", GetLearnerProgress)
            .WithName("GetLearnerProgress")
            .WithSummary("A learner's progress over the reports the caller may read (the learner, educators of their cohort, their institution's admins, platform admins); 404 when there are none.")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/cohorts/{cohortId:guid}", GetCohortProgress)
            .WithName("GetCohortProgress")
            .WithSummary("A cohort's analytics over the reports the caller may read: learners and reports counted, each item's rate across the cohort, each learner's report count and latest global rating; 404 when there are none.")
            .RequireAuthorization(PlatformPolicies.Educator)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Ok<LearnerProgressSummary>> GetMyProgress(
        SessionsDbContext db,
        ICurrentUser user,
        CancellationToken cancellationToken,
        DateTimeOffset? since = null)
    {
        var learnerId = user.Id;
        var (assessments, snapshots) = await ConsistentlyAsync(db, async () => (
            await db.Assessments.AsNoTracking().Where(a => a.LearnerId == learnerId).ToListAsync(cancellationToken),
            await StoredSnapshotsAsync(db.ProgressSnapshots.Where(s => s.LearnerId == learnerId), since, cancellationToken)),
            cancellationToken);
        return TypedResults.Ok(LearnerProgressSummary.From(learnerId, LearnerProgress.Compute(assessments), snapshots));
    }

    public static async Task<Results<Ok<LearnerProgressSummary>, ProblemHttpResult>> GetLearnerProgress(
        Guid learnerId,
        SessionsDbContext db,
        ICurrentUser user,
        CancellationToken cancellationToken,
        DateTimeOffset? since = null)
    {
        var (readable, snapshots) = await ConsistentlyAsync(db, async () =>
        {
            var readable = await db.Assessments.AsNoTracking().ReadableBy(user)
                .Where(a => a.LearnerId == learnerId)
                .ToListAsync(cancellationToken);

            // The stored snapshots are computed over all of the learner's reports; a caller who may read only some of
            // them (an educator of one of the cohorts the learner was in) gets snapshots replayed from those alone.
            var all = await db.Assessments.CountAsync(a => a.LearnerId == learnerId, cancellationToken);
            var snapshots = all == readable.Count
                ? await StoredSnapshotsAsync(db.ProgressSnapshots.ReadableBy(user).Where(s => s.LearnerId == learnerId), since, cancellationToken)
                : Replayed(readable, since);
            return (readable, snapshots);
        }, cancellationToken);
        if (readable.Count == 0)
        {
            // A learner the caller may not read answers like one with no reports, so nothing is revealed.
            return TypedResults.Problem($"No progress of the learner '{learnerId}' is readable.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(LearnerProgressSummary.From(learnerId, LearnerProgress.Compute(readable), snapshots));
    }

    public static async Task<Results<Ok<CohortProgress>, ProblemHttpResult>> GetCohortProgress(
        Guid cohortId,
        SessionsDbContext db,
        ICurrentUser user,
        CancellationToken cancellationToken)
    {
        var assessments = await db.Assessments.AsNoTracking().ReadableBy(user)
            .Where(a => a.CohortId == cohortId)
            .ToListAsync(cancellationToken);
        if (assessments.Count == 0)
        {
            return TypedResults.Problem($"No progress of the cohort '{cohortId}' is readable.", statusCode: StatusCodes.Status404NotFound);
        }

        var standing = LearnerProgress.Compute(assessments);
        var learners = assessments
            .GroupBy(a => a.LearnerId)
            .Select(reports =>
            {
                var latest = LearnerProgress.Chronological(reports)[^1];
                return new CohortLearner(reports.Key, reports.Count(), reports.Average(r => (double)r.GlobalRating), latest.GlobalRating, latest.ReportedAt);
            })
            .OrderBy(l => l.LearnerId)
            .ToList();
        return TypedResults.Ok(new CohortProgress(
            cohortId,
            learners.Count,
            standing.Reports,
            standing.MeanGlobalRating,
            standing.Items.Select(i => new CohortItemRate(i.Code, i.Title, i.Kind, i.Competency, i.Assessed, i.Present, i.Rate)).ToList(),
            standing.Competencies.Select(c => new CohortCompetencyRate(c.Code, c.Title, c.Assessed, c.Present, c.Rate)).ToList(),
            learners));
    }

    /// <summary>Runs several reads against one snapshot of the database, so a report applied between them cannot
    /// leave the items of one revision beside the snapshots of the next.</summary>
    private static Task<T> ConsistentlyAsync<T>(SessionsDbContext db, Func<Task<T>> reads, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var result = await reads();
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    private static async Task<IReadOnlyList<ProgressPoint>> StoredSnapshotsAsync(
        IQueryable<ProgressSnapshot> snapshots, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (since is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            snapshots = snapshots.Where(s => s.At >= fromUtc);
        }

        var newest = await snapshots.AsNoTracking()
            .OrderByDescending(s => s.At)
            .ThenByDescending(s => s.Id)
            .Take(MaxSnapshots)
            .ToListAsync(cancellationToken);
        return newest.AsEnumerable().Reverse().Select(ProgressPoint.From).ToList();
    }

    /// <summary>The snapshots the stored ones would be had only <paramref name="assessments"/> existed (each report
    /// at its latest revision, at the time it was first produced).</summary>
    private static List<ProgressPoint> Replayed(IReadOnlyList<Assessment> assessments, DateTimeOffset? since)
    {
        var reports = LearnerProgress.Chronological(assessments);
        return reports
            .Select((report, index) =>
            {
                var standing = LearnerProgress.Compute(reports.Take(index + 1));
                return new ProgressPoint(report.ReportedAt, report.ReportId, report.SessionId, report.Revision, report.GlobalRating,
                    standing.ItemRates(), standing.CompetencyRates());
            })
            .Where(point => since is not { } from || point.At >= from)
            .TakeLast(MaxSnapshots)
            .ToList();
    }
}

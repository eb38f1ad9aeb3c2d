using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Realtime.Infrastructure;
using PracticePlatform.Realtime.Model;

namespace Microsoft.AspNetCore.Builder;

public static class TranscriptsApi
{
    public static RouteGroupBuilder MapTranscriptsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/realtime/sessions").WithTags("Transcripts");

        api.MapGet("/{id:guid}/transcript", GetTranscript)
            .WithName("GetTranscript")
            .WithSummary("A practice session's conversation so far, optionally only the messages after a sequence number.")
            .ProducesValidationProblem();

        return api;
    }

    public static async Task<Ok<Transcript>> GetTranscript(
        Guid id,
        RealtimeDbContext db,
        CancellationToken cancellationToken,
        [Range(-1, long.MaxValue, ErrorMessage = "after is a sequence number, or -1 for the whole transcript.")] long? after = null)
    {
        var messages = db.SessionMessages.AsNoTracking().Where(m => m.PracticeSessionId == id);

        // A turn's index is its place in the whole conversation, whichever part of it is asked for.
        var earlier = 0;
        if (after is { } seq)
        {
            earlier = await messages.CountAsync(m => m.Seq <= seq, cancellationToken);
            messages = messages.Where(m => m.Seq > seq);
        }

        var page = await messages
            .OrderBy(m => m.Seq)
            .Select(m => new { m.Speaker, m.Text, m.CreatedAt })
            .ToListAsync(cancellationToken);

        var turns = page
            .Select((m, i) => new TranscriptTurn(
                earlier + i,
                m.Speaker == Speaker.Learner ? TranscriptSpeaker.Clinician : TranscriptSpeaker.Patient,
                m.Text,
                m.CreatedAt))
            .ToList();
        return TypedResults.Ok(new Transcript(turns));
    }
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.Model;
using PracticePlatform.Ai.Patient;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The simulated patient: realtime sends the conversation so far and the learner's new utterance, and gets the
/// patient's reply streamed back as newline-delimited JSON (<c>application/x-ndjson</c>): <c>{"type":"delta","text"}</c>
/// lines as the reply is produced, then one <c>{"type":"done",...}</c> line with the whole reply, the patient's state
/// and the metering (provider, model, latency, tokens), which is also recorded.
/// </summary>
public static class PatientApi
{
    public const string NdjsonContentType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapPatientApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/ai/patient/replies", Reply)
            .WithTags("Simulated patient")
            .WithName("ReplyAsPatient")
            .WithSummary("The simulated patient's reply to the learner's utterance, streamed as NDJSON (delta lines, then done).")
            .RequireAuthorization()
            .Produces(StatusCodes.Status200OK, contentType: NdjsonContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Reply(
        PatientReplyRequest request,
        [FromServices] AiDbContext db,
        [FromServices] ICurrentUser user,
        [FromServices] PatientScenarioCache scenarios,
        [FromServices] IPatientEngine engine,
        [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = await scenarios.FindAsync(request.ScenarioId, request.ScenarioVersion, cancellationToken);

        // Another institution's scenario answers like a missing one: its facts are not for this caller.
        if (scenario is null || !(scenario.InstitutionId is null || user.IsPlatformAdmin || user.InstitutionId == scenario.InstitutionId))
        {
            return TypedResults.Problem(
                $"Scenario '{request.ScenarioId}' version {request.ScenarioVersion} is not known here (yet): it is copied from content when published.",
                statusCode: StatusCodes.Status404NotFound);
        }

        var json = jsonOptions.Value.SerializerOptions;
        var learnerId = user.Id;
        var institutionId = user.InstitutionId;
        var turn = new PatientTurnRequest(
            scenario.Scenario,
            request.History.Select(h => new ConversationTurn(h.Speaker, h.Text)).ToList(),
            request.Utterance);

        return TypedResults.Stream(async body =>
        {
            var started = Stopwatch.GetTimestamp();
            PatientReply? final = null;
            await foreach (var chunk in engine.ReplyAsync(turn, cancellationToken))
            {
                if (chunk.Final is { } done)
                {
                    final = done;
                    break;
                }

                if (!string.IsNullOrEmpty(chunk.Delta))
                {
                    await WriteLineAsync(body, new PatientStreamLine("delta", chunk.Delta), json, cancellationToken);
                }
            }

            if (final is null)
            {
                throw new InvalidOperationException($"The {engine.Provider} patient engine ended without a final reply.");
            }

            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await WriteLineAsync(body, new PatientStreamLine("done", final.Text)
            {
                EmotionalState = final.EmotionalState,
                DisclosedFacts = final.DisclosedFacts,
                Intent = final.Intent,
                Provider = final.Provider,
                Model = final.Model,
                LatencyMs = Math.Round(latency, 3),
                Usage = final.Usage,
            }, json, cancellationToken);

            // Metered after the reply is out, so the caller does not wait for it (and even if it hung up).
            db.PatientReplyUsages.Add(new PatientReplyUsage
            {
                PracticeSessionId = request.SessionId,
                LearnerId = learnerId,
                InstitutionId = institutionId,
                ScenarioId = request.ScenarioId,
                ScenarioVersion = request.ScenarioVersion,
                Provider = final.Provider,
                Model = final.Model,
                Intent = final.Intent,
                LatencyMs = latency,
                InputTokens = final.Usage.InputTokens,
                OutputTokens = final.Usage.OutputTokens,
            });
            await db.SaveChangesAsync(CancellationToken.None);
        }, NdjsonContentType);
    }

    private static async Task WriteLineAsync(Stream body, PatientStreamLine line, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, json);
        await body.WriteAsync(bytes, cancellationToken);
        await body.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}

/// <summary>What realtime asks the patient.</summary>
public sealed record PatientReplyRequest : IValidatableObject
{
    public const int MaxUtteranceLength = 2000;
    public const int MaxHistoryTurns = 400;

    public required Guid SessionId { get; init; }

    public required Guid ScenarioId { get; init; }

    public required int ScenarioVersion { get; init; }

    /// <summary>The conversation so far, oldest first, without the new utterance.</summary>
    public IReadOnlyList<PatientHistoryTurn> History { get; init; } = [];

    public required string Utterance { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Utterance is null || Utterance.Length > MaxUtteranceLength)
        {
            yield return new ValidationResult($"The utterance is at most {MaxUtteranceLength} characters.", ["utterance"]);
        }

        if (History.Count > MaxHistoryTurns || History.Any(t => t.Text is null || t.Text.Length > 4000))
        {
            yield return new ValidationResult($"The history has at most {MaxHistoryTurns} turns of at most 4000 characters.", ["history"]);
        }

        if (ScenarioVersion < 1)
        {
            yield return new ValidationResult("The scenario version is 1 or more.", ["scenarioVersion"]);
        }
    }
}

public sealed record PatientHistoryTurn(ConversationSpeaker Speaker, string Text);

/// <summary>One NDJSON line of a streamed reply.</summary>
public sealed record PatientStreamLine(string Type, string Text)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? EmotionalState { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DisclosedFacts { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Intent { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? LatencyMs { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public TokenUsage? Usage { get; init; }
}

using System.ComponentModel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using PracticePlatform.EventBus;

namespace Microsoft.AspNetCore.Builder;

public static class DeadLettersApi
{
    private const int MaxCount = 500;

    // PracticePlatform.ServiceDefaults.Authentication.PlatformPolicies.PlatformAdmin, registered by AddServiceDefaults;
    // the event bus does not reference ServiceDefaults, so the name is repeated here.
    private const string PlatformAdminPolicy = "PlatformAdmin";

    /// <summary>
    /// Maps <c>GET {prefix}/admin/dead-letters</c> (this service's dead letters, newest last) and
    /// <c>POST {prefix}/admin/dead-letters/{eventType}/{id}/replay</c> (send one back to the subscribers).
    /// Operators only: both need a platform admin's access token, whatever the service's default policy.
    /// </summary>
    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app, string prefix)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup($"{prefix.TrimEnd('/')}/admin/dead-letters")
            .WithTags("Dead letters")
            .RequireAuthorization(PlatformAdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/", ListDeadLetters)
            .WithName("ListDeadLetters")
            .WithSummary("Events this service's handlers gave up on, with the last error, for every event type it subscribes to.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapPost("/{eventType}/{id}/replay", ReplayDeadLetter)
            .WithName("ReplayDeadLetter")
            .WithSummary("Publishes a dead letter's event again (same event id) and removes the dead letter. Services that " +
                         "already handled the event skip it, so only the one that failed acts on it.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> ListDeadLetters(
        IDeadLetterStore store,
        EventSubscriptions subscriptions,
        IOptions<EventBusOptions> options,
        [Description("Only this event type.")] string? eventType,
        [Description("At most this many per event type (1-500, default 100).")] int? count,
        CancellationToken cancellationToken)
    {
        var limit = count ?? 100;
        if (limit is < 1 or > MaxCount)
        {
            return TypedResults.Problem($"count must be between 1 and {MaxCount}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (eventType is not null && !subscriptions.TryGet(eventType, out _))
        {
            return TypedResults.Problem(
                $"This service does not subscribe to '{eventType}'.", statusCode: StatusCodes.Status400BadRequest);
        }

        var eventTypes = eventType is null ? subscriptions.All.Select(s => s.EventTypeName) : [eventType];
        var deadLetters = new List<DeadLetter>();
        foreach (var type in eventTypes)
        {
            var listed = await store.ListAsync(type, limit, cancellationToken);
            deadLetters.AddRange(listed.Where(d => d.Group == options.Value.ServiceName));
        }

        return TypedResults.Ok<IReadOnlyList<DeadLetter>>(deadLetters.OrderBy(d => d.DeadAt).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ReplayDeadLetter(
        string eventType,
        string id,
        IDeadLetterStore store,
        EventSubscriptions subscriptions,
        IOptions<EventBusOptions> options,
        CancellationToken cancellationToken)
    {
        var notFound = TypedResults.Problem(
            $"This service has no dead letter '{id}' of '{eventType}'.", statusCode: StatusCodes.Status404NotFound);
        if (!subscriptions.TryGet(eventType, out _) || !IsStreamId(id))
        {
            return notFound;
        }

        var deadLetter = await store.FindAsync(eventType, id, cancellationToken);
        if (deadLetter is null || deadLetter.Group != options.Value.ServiceName)
        {
            return notFound;
        }

        return await store.ReplayAsync(eventType, id, cancellationToken) ? TypedResults.NoContent() : notFound;
    }

    // "1700000000000-0": anything else would be a Redis syntax error rather than an unknown dead letter.
    private static bool IsStreamId(string id)
    {
        var parts = id.Split('-');
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and <= 20 && p.All(char.IsAsciiDigit));
    }
}

using Microsoft.EntityFrameworkCore;
using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Model;
using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.EventHandling;

/// <summary>Keeps ai's copy of every published scenario version. A version never changes, so a copy that exists is
/// left as it is.</summary>
public sealed partial class ScenarioPublishedHandler(AiDbContext db, ILogger<ScenarioPublishedHandler> logger)
    : IIntegrationEventHandler<ScenarioPublished>
{
    public async Task HandleAsync(ScenarioPublished @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (@event.Document.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            // Announced before the event carried the document: nothing to keep. An operator re-announces the
            // versions (POST /v1/content/admin/scenarios/republish) to fill in the copies.
            LogWithoutDocument(logger, @event.ScenarioId, @event.Version);
            return;
        }

        if (await db.ScenarioSnapshots.AnyAsync(s => s.ScenarioId == @event.ScenarioId && s.Version == @event.Version, cancellationToken))
        {
            return;
        }

        db.ScenarioSnapshots.Add(new ScenarioSnapshot
        {
            ScenarioId = @event.ScenarioId,
            Version = @event.Version,
            InstitutionId = @event.InstitutionId,
            Title = @event.Title,
            Document = @event.Document.GetRawText(),
            PublishedAt = @event.PublishedAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        LogStored(logger, @event.ScenarioId, @event.Version);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scenario {ScenarioId} version {Version} was announced without its document; republish it from content")]
    private static partial void LogWithoutDocument(ILogger logger, Guid scenarioId, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scenario {ScenarioId} version {Version} stored for the simulated patient")]
    private static partial void LogStored(ILogger logger, Guid scenarioId, int version);
}

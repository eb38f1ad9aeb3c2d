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

    [LoggerMessage(Level = LogLevel.Information, Message = "Scenario {ScenarioId} version {Version} stored for the simulated patient")]
    private static partial void LogStored(ILogger logger, Guid scenarioId, int version);
}

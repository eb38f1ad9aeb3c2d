using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.IntegrationEvents.Events;
using PracticePlatform.EventBus;

namespace PracticePlatform.Content.IntegrationEvents.EventHandling;

/// <summary>Orphans every cached catalogue read once a new version is out, whichever replica published it.</summary>
public sealed partial class ScenarioPublishedHandler(CatalogueCache cache, ILogger<ScenarioPublishedHandler> logger)
    : IIntegrationEventHandler<ScenarioPublished>
{
    public async Task HandleAsync(ScenarioPublished @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var generation = await cache.InvalidateAsync(cancellationToken);
        LogInvalidated(logger, @event.ScenarioId, @event.Version, generation);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scenario {ScenarioId} version {Version} published; catalogue cache generation is now {Generation}")]
    private static partial void LogInvalidated(ILogger logger, Guid scenarioId, int version, long generation);
}

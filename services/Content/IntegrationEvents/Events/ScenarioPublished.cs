using PracticePlatform.EventBus;

namespace PracticePlatform.Content.IntegrationEvents.Events;

/// <summary>A scenario version was published: catalogues must show it; sessions may pin it from now on.</summary>
public sealed record ScenarioPublished(
    Guid ScenarioId,
    int Version,
    Guid? InstitutionId,
    string Slug,
    string Title,
    DateTimeOffset PublishedAt) : IntegrationEvent;

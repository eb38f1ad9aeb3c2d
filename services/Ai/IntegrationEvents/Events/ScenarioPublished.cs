using System.Text.Json;
using PracticePlatform.EventBus;

namespace PracticePlatform.Ai.IntegrationEvents.Events;

/// <summary>Published by content when a scenario version is published (this service's copy of the contract; the
/// document is kept as JSON, ai reads only the parts it needs).</summary>
public sealed record ScenarioPublished(
    Guid ScenarioId,
    int Version,
    Guid? InstitutionId,
    string Slug,
    string Title,
    DateTimeOffset PublishedAt,
    JsonElement Document) : IntegrationEvent;

using PracticePlatform.Content.Model;
using PracticePlatform.EventBus;

namespace PracticePlatform.Content.IntegrationEvents.Events;

/// <summary>
/// A scenario version was published: catalogues must show it; sessions may pin it from now on. It carries the whole
/// frozen document, hidden facts included, so services that act the patient or score against the rubric (ai) keep
/// their own copy of every version instead of asking content with a learner's token, which would hide those facts.
/// </summary>
public sealed record ScenarioPublished(
    Guid ScenarioId,
    int Version,
    Guid? InstitutionId,
    string Slug,
    string Title,
    DateTimeOffset PublishedAt,
    ScenarioDocument Document) : IntegrationEvent;

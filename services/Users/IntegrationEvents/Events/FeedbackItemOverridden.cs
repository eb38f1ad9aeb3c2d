using PracticePlatform.EventBus;

namespace PracticePlatform.Users.IntegrationEvents.Events;

/// <summary>Published by ai when an educator overrides a feedback report item (this service's copy of the contract).</summary>
public sealed record FeedbackItemOverridden(
    Guid ReportId,
    Guid SessionId,
    Guid LearnerId,
    Guid? InstitutionId,
    string ItemCode,
    bool PreviousPresent,
    bool Present,
    double Score,
    string Reason,
    Guid EducatorId,
    DateTimeOffset At) : IntegrationEvent;

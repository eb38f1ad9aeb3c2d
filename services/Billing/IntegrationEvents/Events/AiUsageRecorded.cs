using PracticePlatform.EventBus;

namespace PracticePlatform.Billing.IntegrationEvents.Events;

/// <summary>ai: an LLM call was made for a session ("patient_replies" or "feedback_report"). Becomes usage: tokens and
/// cost (once per usage id).</summary>
public sealed record AiUsageRecorded(
    Guid UsageId,
    string Purpose,
    Guid SessionId,
    Guid LearnerId,
    Guid? InstitutionId,
    string Provider,
    string Model,
    int InputTokens,
    int OutputTokens,
    decimal Cost,
    DateTimeOffset At) : IntegrationEvent;

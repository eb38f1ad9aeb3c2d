using System.Globalization;
using PracticePlatform.EventBus;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.IntegrationEvents.Events;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.IntegrationEvents.EventHandling;

/// <summary>Puts every educator override of a feedback item in the institution's audit log, beside the security
/// events its admins already read there. The inbox makes a redelivered event one entry.</summary>
public sealed class FeedbackItemOverriddenHandler(UsersDbContext db) : IIntegrationEventHandler<FeedbackItemOverridden>
{
    public async Task HandleAsync(FeedbackItemOverridden @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"session {@event.SessionId} item {@event.ItemCode}: {Call(@event.PreviousPresent)} -> {Call(@event.Present)} (score {@event.Score:0.##}); reason: {@event.Reason}");
        db.AuditEvents.Add(new AuditEvent
        {
            Type = AuditEventTypes.FeedbackItemOverridden,
            Outcome = AuditOutcome.Success,
            InstitutionId = @event.InstitutionId,
            ActorId = @event.EducatorId,
            SubjectId = @event.LearnerId,
            Detail = detail.Length > 1000 ? detail[..1000] : detail,
            OccurredAt = @event.At,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Call(bool present) => present ? "present" : "absent";
}

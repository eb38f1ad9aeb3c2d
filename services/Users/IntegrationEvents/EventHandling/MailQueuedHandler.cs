using Microsoft.EntityFrameworkCore;
using PracticePlatform.EventBus;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Infrastructure.Mail;
using PracticePlatform.Users.IntegrationEvents.Events;

namespace PracticePlatform.Users.IntegrationEvents.EventHandling;

/// <summary>Sends a queued e-mail, then marks it sent and forgets its body (which may hold a one-time link).</summary>
public sealed partial class MailQueuedHandler(UsersDbContext db, IMailSender sender, TimeProvider time, ILogger<MailQueuedHandler> logger)
    : IIntegrationEventHandler<MailQueued>
{
    public async Task HandleAsync(MailQueued @event, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var mail = await db.OutgoingMail.FirstOrDefaultAsync(m => m.Id == @event.MailId, cancellationToken);
        if (mail is null || mail.SentAt is not null)
        {
            return;
        }

        await sender.SendAsync(mail, cancellationToken);
        mail.SentAt = time.GetUtcNow();
        mail.TextBody = null;
        await db.SaveChangesAsync(cancellationToken);
        LogSent(logger, mail.Kind, mail.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Kind} e-mail {MailId}")]
    private static partial void LogSent(ILogger logger, string kind, Guid mailId);
}

using Microsoft.Extensions.Options;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.Users.IntegrationEvents.Events;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure.Mail;

/// <summary>
/// Queues e-mail transactionally: the mail row and a <see cref="MailQueued"/> event go into the caller's unit of
/// work, so an e-mail is sent if and only if the change that causes it commits. The event names the mail only, so no
/// one-time link ever travels through Redis; this service's own handler sends it (with the bus's retries and dead
/// letters).
/// </summary>
public sealed class Mailer(UsersDbContext db, IEventOutbox outbox, IOptions<MailSettings> settings)
{
    public Uri Link(string path, string token) =>
        new(settings.Value.LinkBaseUrl, $"{path}?token={Uri.EscapeDataString(token)}");

    public void Queue(string to, string subject, string textBody, string kind)
    {
        var mail = new OutgoingMail { To = to, Subject = subject, TextBody = textBody, Kind = kind };
        db.OutgoingMail.Add(mail);
        outbox.Add(new MailQueued(mail.Id));
    }
}

using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure.Mail;

/// <summary>Delivers one e-mail; throwing makes the event bus retry it.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

internal static class Messages
{
    public static MimeMessage Create(OutgoingMail mail, MailSettings settings)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.MessageId = $"{mail.Id}@practiceplatform";
        message.Date = mail.CreatedAt;
        message.Body = new TextPart("plain") { Text = mail.TextBody ?? string.Empty };
        return message;
    }
}

/// <summary>Sends through the configured SMTP server (MailKit).</summary>
internal sealed class SmtpMailSender(IOptions<MailSettings> options) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var message = Messages.Create(mail, settings);
        using var client = new SmtpClient();
        var security = !settings.Smtp.UseTls ? SecureSocketOptions.None
            : settings.Smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(settings.Smtp.Host ?? throw new InvalidOperationException("Mail:Smtp:Host is not set."), settings.Smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Smtp.Username))
        {
            await client.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>Writes each e-mail as an .eml file (named after its id, so a redelivery overwrites rather than
/// duplicates): the flows work offline, and any mail client opens the files.</summary>
internal sealed class MailboxDirectorySender(IOptions<MailSettings> options) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        Directory.CreateDirectory(settings.MailboxDirectory);
        using var message = Messages.Create(mail, settings);
        var path = Path.Combine(settings.MailboxDirectory, $"{mail.CreatedAt:yyyyMMdd-HHmmss}-{mail.Kind}-{mail.Id:N}.eml");

        // Written aside, then moved: whoever watches the folder never sees half an e-mail.
        var partial = path + ".partial";
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, path, overwrite: true);
    }
}

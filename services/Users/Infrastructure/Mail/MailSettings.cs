namespace PracticePlatform.Users.Infrastructure.Mail;

/// <summary>The "Mail" section: SMTP when <see cref="SmtpSettings.Host"/> is set, otherwise a mailbox folder.</summary>
public sealed class MailSettings
{
    public const string SectionName = "Mail";

    public string From { get; set; } = "PracticePlatform <no-reply@practiceplatform.test>";

    /// <summary>Where the web app is, for the links in e-mails.</summary>
    public Uri LinkBaseUrl { get; set; } = new("http://localhost:5100/");

    /// <summary>Without SMTP, each e-mail is written here as an .eml file (./run.sh sets .data/mailbox).</summary>
    public string MailboxDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "practiceplatform-mailbox");

    public SmtpSettings Smtp { get; set; } = new();
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>STARTTLS (or TLS on connect for port 465) when true; plain only for a local test server.</summary>
    public bool UseTls { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }
}

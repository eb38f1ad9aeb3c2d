using Microsoft.Extensions.Options;

namespace PracticePlatform.Users.Infrastructure.Security;

/// <summary>How the users service issues tokens: the "Authentication" section, which the other services read too
/// (issuer, audience).</summary>
public sealed class TokenSettings
{
    public const string SectionName = "Authentication";

    public string Issuer { get; set; } = "practiceplatform-users";

    public string Audience { get; set; } = "practiceplatform";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest a login lasts, however often its refresh token is rotated.</summary>
    public TimeSpan LoginSessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A new signing key is made when the newest is this old.</summary>
    public TimeSpan KeyRotationInterval { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a new key is published before it signs, so every service's key cache has it in time.</summary>
    public TimeSpan KeyPublishLead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Base64 of 32 random bytes: the AES key under which signing keys' private halves are stored.
    /// Development has one in appsettings.Development.json; anywhere else it must come from a secret store.</summary>
    public string SigningKeyEncryptionKey { get; set; } = string.Empty;

    internal byte[] EncryptionKeyBytes() => Convert.FromBase64String(SigningKeyEncryptionKey);
}

internal sealed class TokenSettingsValidator : IValidateOptions<TokenSettings>
{
    public ValidateOptionsResult Validate(string? name, TokenSettings options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Authentication:Issuer and Authentication:Audience are required.");
        }

        if (options.AccessTokenLifetime < TimeSpan.FromMinutes(1) || options.AccessTokenLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Authentication:AccessTokenLifetime must be between 1 and 60 minutes: access tokens cannot be revoked.");
        }

        if (options.LoginSessionLifetime <= options.AccessTokenLifetime || options.KeyRotationInterval <= options.AccessTokenLifetime * 4 ||
            options.KeyPublishLead < TimeSpan.Zero)
        {
            failures.Add("Authentication:LoginSessionLifetime and KeyRotationInterval must well exceed AccessTokenLifetime; KeyPublishLead must not be negative.");
        }

        if (!IsAesKey(options.SigningKeyEncryptionKey))
        {
            failures.Add("Authentication:SigningKeyEncryptionKey must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAesKey(string value)
    {
        var buffer = new byte[48];
        return Convert.TryFromBase64String(value, buffer, out var written) && written == 32;
    }
}

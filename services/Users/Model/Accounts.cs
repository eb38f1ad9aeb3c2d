using System.ComponentModel.DataAnnotations;
using System.Net.Mail;

namespace PracticePlatform.Users.Model;

/// <summary>Joining an institution with its join code: the new user is a learner there.</summary>
public sealed record RegisterRequest : IValidatableObject
{
    public const int MaxEmailLength = 254;
    public const int MaxDisplayNameLength = 100;

    public required string Email { get; init; }

    public required string Password { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>The institution's join code, or a cohort's (which also puts the learner in that cohort); not needed when
    /// registering with an invitation.</summary>
    public string? InstitutionCode { get; init; }

    /// <summary>The token from an invitation e-mail: joins its institution with the role it names.</summary>
    public string? InvitationToken { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEmail(Email))
        {
            yield return new ValidationResult($"An e-mail address of at most {MaxEmailLength} characters is required.", ["email"]);
        }

        if (string.IsNullOrWhiteSpace(DisplayName) || DisplayName.Trim().Length > MaxDisplayNameLength)
        {
            yield return new ValidationResult($"A display name of 1 to {MaxDisplayNameLength} characters is required.", ["displayName"]);
        }

        if (string.IsNullOrWhiteSpace(InvitationToken) && (string.IsNullOrWhiteSpace(InstitutionCode) || InstitutionCode.Length > 32))
        {
            yield return new ValidationResult("The institution's join code (or an invitation token) is required.", ["institutionCode"]);
        }

        if (InvitationToken is { Length: > 200 })
        {
            yield return new ValidationResult("The invitation token is not valid.", ["invitationToken"]);
        }

        foreach (var problem in PasswordPolicy.Check(Password, Email, DisplayName))
        {
            yield return new ValidationResult(problem, ["password"]);
        }
    }

    internal static bool IsEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Length <= MaxEmailLength &&
        MailAddress.TryCreate(email.Trim(), out var address) && address.Address == email.Trim() && address.Host.Contains('.', StringComparison.Ordinal);
}

public sealed record RegisteredUser(Guid Id);

public sealed record LoginRequest : IValidatableObject
{
    public required string Email { get; init; }

    public required string Password { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Email) || Email.Length > RegisterRequest.MaxEmailLength)
        {
            yield return new ValidationResult("An e-mail address is required.", ["email"]);
        }

        if (string.IsNullOrEmpty(Password) || Password.Length > PasswordPolicy.MaxLength)
        {
            yield return new ValidationResult("A password is required.", ["password"]);
        }
    }
}

public sealed record RefreshRequest : IValidatableObject
{
    public required string RefreshToken { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(RefreshToken) || RefreshToken.Length > 200)
        {
            yield return new ValidationResult("A refresh token is required.", ["refreshToken"]);
        }
    }
}

/// <summary>A short-lived access token (a JWT for the other services) and the refresh token that renews it.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn);

public sealed record UserProfile(
    Guid Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    InstitutionSummary? Institution,
    Guid? CohortId,
    bool EmailVerified,
    UserPreferences Preferences,
    DateTimeOffset CreatedAt);

/// <summary>One of the caller's logins, as shown in "where you are signed in".</summary>
public sealed record LoginSessionSummary(
    Guid Id,
    string? UserAgent,
    string? IpAddress,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    bool Current);

/// <summary>
/// A sensible password policy after NIST SP 800-63B: long rather than complicated (10 to 128 characters, any
/// characters), not a well-known password, not made of the person's own e-mail or name, not one repeated character.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "password1", "password12", "password123", "password1234", "passw0rd", "qwerty", "qwertyuiop",
        "qwerty123", "1234567890", "0123456789", "12345678910", "1q2w3e4r5t", "iloveyou", "letmein", "welcome",
        "welcome123", "admin", "administrator", "abc123", "abcdefghij", "trustno1", "football", "baseball",
        "dragon", "monkey", "sunshine", "princess", "starwars", "superman", "changeme", "medicine", "doctor123",
        "nurse12345", "hospital", "patient123",
    };

    public static IEnumerable<string> Check(string? password, string? email, string? displayName)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            yield return $"A password needs at least {MinLength} characters.";
            yield break;
        }

        if (password.Length > MaxLength)
        {
            yield return $"A password has at most {MaxLength} characters.";
            yield break;
        }

        if (Common.Contains(password) || password.Distinct().Count() < 4)
        {
            yield return "This password is too easy to guess; choose a longer phrase of your own.";
        }

        // The e-mail's local part and each word of the name (of four letters or more).
        var personal = (displayName ?? string.Empty).Split([' ', '-', '.', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Append(email?.Split('@')[0] ?? string.Empty)
            .Where(part => part.Length >= 4);
        if (personal.Any(part => password.Contains(part, StringComparison.OrdinalIgnoreCase)))
        {
            yield return "A password must not contain your e-mail address or your name.";
        }
    }
}

public sealed record VerifyEmailRequest : IValidatableObject
{
    public required string Token { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Token) || Token.Length > 200)
        {
            yield return new ValidationResult("The token from the e-mail is required.", ["token"]);
        }
    }
}

public sealed record PasswordResetRequest : IValidatableObject
{
    public required string Email { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!RegisterRequest.IsEmail(Email))
        {
            yield return new ValidationResult("An e-mail address is required.", ["email"]);
        }
    }
}

public sealed record ResetPasswordRequest : IValidatableObject
{
    public required string Token { get; init; }

    public required string NewPassword { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Token) || Token.Length > 200)
        {
            yield return new ValidationResult("The token from the e-mail is required.", ["token"]);
        }

        if (string.IsNullOrEmpty(NewPassword) || NewPassword.Length > PasswordPolicy.MaxLength)
        {
            yield return new ValidationResult($"A new password of at most {PasswordPolicy.MaxLength} characters is required.", ["newPassword"]);
        }
    }
}

/// <summary>What a user may change about themselves; absent members stay as they are.</summary>
public sealed record UpdateProfileRequest : IValidatableObject
{
    public string? DisplayName { get; init; }

    public string? Locale { get; init; }

    public bool? EmailNotifications { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DisplayName is not null && (string.IsNullOrWhiteSpace(DisplayName) || DisplayName.Trim().Length > RegisterRequest.MaxDisplayNameLength))
        {
            yield return new ValidationResult($"A display name has 1 to {RegisterRequest.MaxDisplayNameLength} characters.", ["displayName"]);
        }

        if (Locale is not null && !IsLocale(Locale))
        {
            yield return new ValidationResult("The locale is a language tag such as en-GB or de.", ["locale"]);
        }
    }

    // The shape of a BCP 47 tag (language, then subtags); the globalization data may not be installed to check more.
    private static bool IsLocale(string locale) =>
        locale.Length <= 35 && System.Text.RegularExpressions.Regex.IsMatch(locale, "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$");
}

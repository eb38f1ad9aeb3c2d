using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Users.Apis;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Infrastructure.Mail;
using PracticePlatform.Users.Infrastructure.Security;
using PracticePlatform.Users.Model;

namespace Microsoft.AspNetCore.Builder;

/// <summary>E-mail verification and password reset: single-use, expiring tokens sent by e-mail, stored as hashes.</summary>
public static class EmailAndPasswordApi
{
    internal static readonly TimeSpan VerificationLifetime = TimeSpan.FromHours(48);
    internal static readonly TimeSpan ResetLifetime = TimeSpan.FromHours(1);

    public static RouteGroupBuilder MapEmailAndPasswordApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/users").WithTags("E-mail and password");

        api.MapPost("/verify-email", VerifyEmail)
            .AllowAnonymous()
            .WithName("VerifyEmail")
            .WithSummary("Confirm an e-mail address with the token from the verification e-mail.")
            .ProducesValidationProblem();

        api.MapPost("/me/verification-email", SendVerificationEmail)
            .RequireAuthorization()
            .WithName("SendVerificationEmail")
            .WithSummary("Send the caller a new verification e-mail.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/password-reset", RequestPasswordReset)
            .AllowAnonymous()
            .WithName("RequestPasswordReset")
            .WithSummary("E-mail a password-reset link to the address if it has an account. The answer is the same either way.")
            .ProducesValidationProblem();

        api.MapPost("/password-reset/confirm", ResetPassword)
            .AllowAnonymous()
            .WithName("ResetPassword")
            .WithSummary("Set a new password with the token from the reset e-mail; every login of the account is ended.")
            .ProducesValidationProblem();

        return api;
    }

    public static async Task<Results<NoContent, ValidationProblem>> VerifyEmail(
        VerifyEmailRequest request,
        [AsParameters] OneTimeTokenServices services,
        CancellationToken cancellationToken)
    {
        var verified = await services.Db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            services.Db.ChangeTracker.Clear();
            await using var transaction = await services.Db.Database.BeginTransactionAsync(token);
            var userId = await ClaimAsync(services, request.Token, UserTokenPurpose.EmailVerification, token);
            var user = userId is null ? null : await services.Db.Users.FirstOrDefaultAsync(u => u.Id == userId, token);
            if (user is null)
            {
                return false;
            }

            user.EmailVerifiedAt ??= services.Time.GetUtcNow();
            await services.Db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return true;
        }, cancellationToken);

        return verified ? TypedResults.NoContent() : InvalidToken();
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> SendVerificationEmail(
        ClaimsPrincipal caller,
        [AsParameters] OneTimeTokenServices services,
        CancellationToken cancellationToken)
    {
        var id = Guid.TryParse(caller.FindFirstValue(PlatformClaims.Subject), out var subject) ? subject : Guid.Empty;
        var user = await services.Db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return TypedResults.Problem("The account no longer exists.", statusCode: StatusCodes.Status404NotFound);
        }

        if (user.EmailVerifiedAt is not null)
        {
            return TypedResults.Problem("This e-mail address is already verified.", statusCode: StatusCodes.Status409Conflict);
        }

        QueueVerification(services.Db, services.Mailer, user, services.Time.GetUtcNow());
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Accepted, ValidationProblem>> RequestPasswordReset(
        PasswordResetRequest request,
        [AsParameters] OneTimeTokenServices services,
        CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(request.Email);
        var user = await services.Db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized && u.Status == UserStatus.Active, cancellationToken);
        if (user is not null)
        {
            var (token, hash) = OpaqueTokens.Create();
            var now = services.Time.GetUtcNow();
            services.Db.UserTokens.Add(new UserToken
            {
                UserId = user.Id, Purpose = UserTokenPurpose.PasswordReset, TokenHash = hash, CreatedAt = now, ExpiresAt = now + ResetLifetime,
            });
            services.Mailer.Queue(user.Email, "Reset your PracticePlatform password", $"""
                Hello {user.DisplayName},

                Someone (we hope you) asked to reset the password of your PracticePlatform account.
                Choose a new one here within the next hour:

                {services.Mailer.Link("reset-password", token)}

                If it was not you, ignore this e-mail: your password stays as it is.
                """, "password-reset");
            await services.Db.SaveChangesAsync(cancellationToken);
        }

        // The same answer whether or not the address has an account.
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ValidationProblem>> ResetPassword(
        ResetPasswordRequest request,
        [AsParameters] OneTimeTokenServices services,
        CancellationToken cancellationToken)
    {
        List<Guid> ended = [];
        var outcome = await services.Db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            services.Db.ChangeTracker.Clear();
            await using var transaction = await services.Db.Database.BeginTransactionAsync(token);
            var userId = await ClaimAsync(services, request.Token, UserTokenPurpose.PasswordReset, token);
            var user = userId is null ? null : await services.Db.Users.FirstOrDefaultAsync(u => u.Id == userId, token);
            if (user is null)
            {
                return (Reset: false, Problems: (string[])[]);
            }

            var problems = PasswordPolicy.Check(request.NewPassword, user.Email, user.DisplayName).ToArray();
            if (problems.Length > 0)
            {
                // Rolled back: the token stays usable for a better password.
                return (Reset: false, Problems: problems);
            }

            var now = services.Time.GetUtcNow();
            user.PasswordHash = services.Hasher.HashPassword(user, request.NewPassword);
            ended = await services.Db.LoginSessions.Where(s => s.UserId == user.Id && s.RevokedAt == null).Select(s => s.Id).ToListAsync(token);
            await services.Db.LoginSessions
                .Where(s => ended.Contains(s.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "password reset"), token);
            services.Audit.Record(AuditEventTypes.PasswordReset, AuditOutcome.Success, user.InstitutionId, user.Id, detail: "every login ended");
            await services.Db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return (Reset: true, Problems: (string[])[]);
        }, cancellationToken);

        if (outcome.Problems.Length > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = outcome.Problems });
        }

        if (!outcome.Reset)
        {
            return InvalidToken();
        }

        await services.Revoked.RevokeAsync(ended, services.Tokens.RevocationWindow, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static void QueueVerification(UsersDbContext db, Mailer mailer, User user, DateTimeOffset now)
    {
        var (token, hash) = OpaqueTokens.Create();
        db.UserTokens.Add(new UserToken
        {
            UserId = user.Id, Purpose = UserTokenPurpose.EmailVerification, TokenHash = hash, CreatedAt = now, ExpiresAt = now + VerificationLifetime,
        });
        mailer.Queue(user.Email, "Confirm your e-mail address for PracticePlatform", $"""
            Hello {user.DisplayName},

            Please confirm that this is your e-mail address by opening this link within 48 hours:

            {mailer.Link("verify-email", token)}

            If you did not create a PracticePlatform account, ignore this e-mail.
            """, "email-verification");
    }

    /// <summary>Marks the token used if it is valid, unused and unexpired; returns its user. One conditional UPDATE,
    /// so a token works once even when presented twice at the same moment.</summary>
    private static async Task<Guid?> ClaimAsync(OneTimeTokenServices services, string token, UserTokenPurpose purpose, CancellationToken cancellationToken)
    {
        var hash = OpaqueTokens.Hash(token);
        var now = services.Time.GetUtcNow();
        var found = await services.Db.UserTokens.AsNoTracking()
            .FirstOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose, cancellationToken);
        if (found is null || found.UsedAt is not null || found.ExpiresAt <= now)
        {
            return null;
        }

        var claimed = await services.Db.UserTokens
            .Where(t => t.Id == found.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        return claimed == 1 ? found.UserId : null;
    }

    private static ValidationProblem InvalidToken() =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["token"] = ["The link is not valid, was already used or has expired. Ask for a new one."] });
}

/// <summary>What the e-mail and password endpoints need besides the request.</summary>
/// <remarks>[FromServices] keeps the request validator out of these objects.</remarks>
public sealed record OneTimeTokenServices(
    [FromServices] UsersDbContext Db,
    [FromServices] Mailer Mailer,
    [FromServices] IPasswordHasher<User> Hasher,
    [FromServices] AuditLog Audit,
    [FromServices] RevokedSessions Revoked,
    [FromServices] AccessTokenIssuer Tokens,
    [FromServices] TimeProvider Time);

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Users.Apis;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Infrastructure.Security;
using PracticePlatform.Users.IntegrationEvents.Events;
using PracticePlatform.Users.Model;

namespace Microsoft.AspNetCore.Builder;

public static partial class AccountsApi
{
    private const string BadCredentials = "The e-mail address or password is incorrect.";

    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/users").WithTags("Accounts");

        api.MapPost("/register", Register)
            .AllowAnonymous()
            .WithName("Register")
            .WithSummary("Create an account as a learner of the institution whose join code is given.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/login", Login)
            .AllowAnonymous()
            .WithName("Login")
            .WithSummary("Exchange an e-mail address and password for an access token and a refresh token.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapPost("/refresh", Refresh)
            .AllowAnonymous()
            .WithName("Refresh")
            .WithSummary("Exchange a refresh token (once) for a new access token and refresh token. Presenting a used one ends its login.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/logout", Logout)
            .RequireAuthorization()
            .WithName("Logout")
            .WithSummary("End the caller's current login: its refresh token stops working at once.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/me", GetMe)
            .RequireAuthorization()
            .WithName("GetMe")
            .WithSummary("The caller's profile, roles and institution.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPatch("/me", UpdateMe)
            .RequireAuthorization()
            .WithName("UpdateMe")
            .WithSummary("Change the caller's display name or preferences (locale, e-mail notifications).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<UserProfile>, ValidationProblem, ProblemHttpResult>> UpdateMe(
        UpdateProfileRequest request,
        ClaimsPrincipal caller,
        UsersDbContext db,
        CancellationToken cancellationToken)
    {
        var id = Guid.TryParse(caller.FindFirstValue(PlatformClaims.Subject), out var subject) ? subject : Guid.Empty;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return TypedResults.Problem("The account no longer exists.", statusCode: StatusCodes.Status404NotFound);
        }

        if (request.DisplayName is not null)
        {
            user.DisplayName = request.DisplayName.Trim();
        }

        // A new preferences object, so EF Core sees the JSON column change.
        user.Preferences = new UserPreferences
        {
            Locale = request.Locale ?? user.Preferences.Locale,
            EmailNotifications = request.EmailNotifications ?? user.Preferences.EmailNotifications,
        };
        await db.SaveChangesAsync(cancellationToken);
        return (await GetMe(caller, db, cancellationToken)).Result switch
        {
            Ok<UserProfile> profile => profile,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("GetMe answered something unexpected."),
        };
    }

    public static async Task<Results<Created<RegisteredUser>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request,
        [AsParameters] AccountServices services,
        CancellationToken cancellationToken)
    {
        var email = request.Email.Trim();
        var normalized = User.Normalize(email);
        var now = services.Time.GetUtcNow();
        Invitation? invitation = null;
        Institution? institution;
        Guid? joinedCohortId = null;
        if (!string.IsNullOrWhiteSpace(request.InvitationToken))
        {
            var hash = OpaqueTokens.Hash(request.InvitationToken);
            invitation = await services.Db.Invitations.FirstOrDefaultAsync(
                i => i.TokenHash == hash && i.AcceptedAt == null && i.ExpiresAt > now && i.NormalizedEmail == normalized, cancellationToken);
            if (invitation is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["invitationToken"] = ["The invitation is not valid for this e-mail address, was already used or has expired."],
                });
            }

            invitation.AcceptedAt = now;
            institution = await services.Db.Institutions.AsNoTracking().FirstAsync(i => i.Id == invitation.InstitutionId, cancellationToken);
        }
        else
        {
            var code = request.InstitutionCode!.Trim().ToUpperInvariant();
            institution = await services.Db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.JoinCode == code, cancellationToken);
            if (institution is null
                && await services.Db.Cohorts.AsNoTracking().FirstOrDefaultAsync(c => c.JoinCode == code, cancellationToken) is { } cohort)
            {
                joinedCohortId = cohort.Id;
                institution = await services.Db.Institutions.AsNoTracking().FirstAsync(i => i.Id == cohort.InstitutionId, cancellationToken);
            }

            if (institution is null)
            {
                return TypedResults.Problem(
                    $"No institution has the join code '{code}'. Ask your institution for its code.",
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Unknown join code");
            }
        }

        if (await services.Db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return EmailTaken();
        }

        var user = new User
        {
            InstitutionId = institution.Id,
            CohortId = invitation?.CohortId ?? joinedCohortId,
            Email = email,
            NormalizedEmail = normalized,
            DisplayName = request.DisplayName.Trim(),
            PasswordHash = string.Empty,
            Roles = [invitation?.Role ?? PlatformRoles.Learner],

            // The invitation reached this address, which proves it.
            EmailVerifiedAt = invitation is null ? null : now,
        };
        user.PasswordHash = services.Hasher.HashPassword(user, request.Password);
        services.Db.Users.Add(user);
        services.Audit.Record(AuditEventTypes.Registered, AuditOutcome.Success, institution.Id, user.Id,
            detail: invitation is null ? $"joined with code {institution.JoinCode}" : $"accepted invitation {invitation.Id} as {invitation.Role}");
        services.Outbox.Add(new UserRegistered(user.Id, user.InstitutionId, user.Email, user.DisplayName, user.Roles));
        if (invitation is null)
        {
            EmailAndPasswordApi.QueueVerification(services.Db, services.Mailer, user, now);
        }

        try
        {
            // The invitation's AcceptedAt is saved in the same transaction, so an invitation makes one account.
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Registered concurrently with the same address.
            return EmailTaken();
        }

        LogRegistered(services.Logger, user.Id, institution.Id);
        return TypedResults.Created("/v1/users/me", new RegisteredUser(user.Id));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request,
        HttpContext http,
        [AsParameters] AccountServices services,
        CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(request.Email);
        var address = AuditLog.ClientAddress(http);
        var refusal = await services.Throttle.CheckAsync(normalized, address, cancellationToken);
        if (refusal is not null)
        {
            await services.Audit.SaveAsync(AuditEventTypes.LoginThrottled, AuditOutcome.Failure, null, null, $"{normalized}: {refusal.Reason}", cancellationToken);
            http.Response.Headers.RetryAfter = Math.Ceiling(Math.Max(refusal.RetryAfter.TotalSeconds, 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(refusal.Reason, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts");
        }

        var user = await services.Db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var verdict = user is null
            ? VerifyAgainstNobody(services.Hasher, request.Password)
            : services.Hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            var locked = await services.Throttle.RecordFailureAsync(normalized, cancellationToken);
            await services.Audit.SaveAsync(
                AuditEventTypes.LoginFailed, AuditOutcome.Failure, user?.InstitutionId, user?.Id,
                locked ? $"{normalized}: wrong password; account locked" : $"{normalized}: wrong password or unknown account",
                cancellationToken);
            return TypedResults.Problem(BadCredentials, statusCode: StatusCodes.Status401Unauthorized, title: "Login failed");
        }

        if (user.Status != UserStatus.Active)
        {
            await services.Audit.SaveAsync(AuditEventTypes.LoginFailed, AuditOutcome.Failure, user.InstitutionId, user.Id, "deactivated account", cancellationToken);
            return TypedResults.Problem("This account is deactivated. Ask your institution's administrator.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = services.Hasher.HashPassword(user, request.Password);
        }

        await services.Throttle.RecordSuccessAsync(normalized, cancellationToken);
        var now = services.Time.GetUtcNow();
        var session = new LoginSession
        {
            UserId = user.Id,
            InstitutionId = user.InstitutionId,
            UserAgent = AuditLog.UserAgent(http),
            IpAddress = address,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + services.Settings.Value.LoginSessionLifetime,
        };
        var (refreshToken, refreshHash) = OpaqueTokens.Create();
        services.Db.LoginSessions.Add(session);
        services.Db.RefreshTokens.Add(new RefreshToken { SessionId = session.Id, TokenHash = refreshHash, CreatedAt = now, ExpiresAt = session.ExpiresAt });
        user.LastLoginAt = now;
        services.Audit.Record(AuditEventTypes.LoginSucceeded, AuditOutcome.Success, user.InstitutionId, user.Id);
        await services.Db.SaveChangesAsync(cancellationToken);

        return TypedResults.Ok(await TokensAsync(services, user, session, refreshToken, cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request,
        [AsParameters] AccountServices services,
        CancellationToken cancellationToken)
    {
        var presented = await services.Db.RefreshTokens.AsNoTracking()
            .FirstOrDefaultAsync(t => t.TokenHash == OpaqueTokens.Hash(request.RefreshToken), cancellationToken);
        var session = presented is null ? null : await services.Db.LoginSessions.FirstOrDefaultAsync(s => s.Id == presented.SessionId, cancellationToken);
        var now = services.Time.GetUtcNow();
        if (presented is null || session is null || !session.IsActive(now) || presented.ExpiresAt <= now)
        {
            return InvalidRefreshToken();
        }

        // One conditional UPDATE: of two requests with the same token exactly one wins; the other is a reuse.
        var claimed = await services.Db.RefreshTokens
            .Where(t => t.Id == presented.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(setters => setters.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            session.RevokedAt = now;
            session.RevokedReason = "refresh token reused";
            services.Audit.Record(AuditEventTypes.TokenReused, AuditOutcome.Failure, session.InstitutionId, session.UserId,
                detail: $"a used refresh token of login session {session.Id} was presented again; the session was revoked");
            await services.Db.SaveChangesAsync(cancellationToken);
            await services.Revoked.RevokeAsync([session.Id], services.Tokens.RevocationWindow, cancellationToken);
            LogTokenReused(services.Logger, session.Id, session.UserId);
            return TypedResults.Problem(
                "This refresh token was already used, so it may have been stolen: the login it belongs to has been ended. Log in again.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Refresh token reused");
        }

        var user = await services.Db.Users.FirstOrDefaultAsync(u => u.Id == session.UserId, cancellationToken);
        if (user is null || user.Status != UserStatus.Active)
        {
            session.RevokedAt = now;
            session.RevokedReason = "account deactivated";
            await services.Db.SaveChangesAsync(cancellationToken);
            await services.Revoked.RevokeAsync([session.Id], services.Tokens.RevocationWindow, cancellationToken);
            return InvalidRefreshToken();
        }

        var (refreshToken, refreshHash) = OpaqueTokens.Create();
        services.Db.RefreshTokens.Add(new RefreshToken { SessionId = session.Id, TokenHash = refreshHash, CreatedAt = now, ExpiresAt = session.ExpiresAt });
        session.LastSeenAt = now;
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await TokensAsync(services, user, session, refreshToken, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Logout(
        ClaimsPrincipal caller,
        [AsParameters] AccountServices services,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(caller.FindFirstValue(PlatformClaims.Session), out var sessionId))
        {
            return TypedResults.Problem("The access token names no login session.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var session = await services.Db.LoginSessions.FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is not null && session.RevokedAt is null)
        {
            session.RevokedAt = services.Time.GetUtcNow();
            session.RevokedReason = "logout";
            services.Audit.Record(AuditEventTypes.LoggedOut, AuditOutcome.Success, session.InstitutionId, session.UserId);
            await services.Db.SaveChangesAsync(cancellationToken);
        }

        // Also when already revoked: the access token in hand must stop working now.
        await services.Revoked.RevokeAsync([sessionId], services.Tokens.RevocationWindow, cancellationToken);

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetMe(
        ClaimsPrincipal caller,
        UsersDbContext db,
        CancellationToken cancellationToken)
    {
        var id = Guid.TryParse(caller.FindFirstValue(PlatformClaims.Subject), out var subject) ? subject : Guid.Empty;
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return TypedResults.Problem("The account no longer exists.", statusCode: StatusCodes.Status404NotFound);
        }

        var institution = user.InstitutionId is { } institutionId
            ? await db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == institutionId, cancellationToken)
            : null;
        return TypedResults.Ok(new UserProfile(
            user.Id,
            user.Email,
            user.DisplayName,
            user.Roles,
            institution is null ? null : InstitutionSummary.From(institution),
            user.CohortId,
            user.EmailVerifiedAt is not null,
            user.Preferences,
            user.CreatedAt));
    }

    private static async Task<TokenResponse> TokensAsync(AccountServices services, User user, LoginSession session, string refreshToken, CancellationToken cancellationToken)
    {
        var taught = await services.Db.CohortEducators.AsNoTracking()
            .Where(t => t.UserId == user.Id)
            .Select(t => t.CohortId)
            .ToListAsync(cancellationToken);
        return new(await services.Tokens.IssueAsync(user, session, taught, cancellationToken), refreshToken, (int)services.Tokens.Lifetime.TotalSeconds);
    }

    // The same work as checking a real hash, so the response time does not tell whether the account exists.
    private static PasswordVerificationResult VerifyAgainstNobody(IPasswordHasher<User> hasher, string password)
    {
        var nobody = new User { Email = "nobody@invalid", NormalizedEmail = "NOBODY@INVALID", DisplayName = "nobody", PasswordHash = string.Empty };
        hasher.VerifyHashedPassword(nobody, NobodysHash.Value, password);
        return PasswordVerificationResult.Failed;
    }

    private static readonly Lazy<string> NobodysHash = new(() =>
        new PasswordHasher<User>().HashPassword(new User { Email = "n@invalid", NormalizedEmail = "N@INVALID", DisplayName = "n", PasswordHash = string.Empty }, Guid.NewGuid().ToString()));

    private static ProblemHttpResult EmailTaken() =>
        TypedResults.Problem("An account with this e-mail address already exists. Log in, or reset its password.",
            statusCode: StatusCodes.Status409Conflict, title: "E-mail address taken");

    private static ProblemHttpResult InvalidRefreshToken() =>
        TypedResults.Problem("The refresh token is not valid or has expired. Log in again.",
            statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token");

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} registered with institution {InstitutionId}")]
    private static partial void LogRegistered(ILogger logger, Guid userId, Guid institutionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh token reuse on login session {SessionId} of user {UserId}: session revoked")]
    private static partial void LogTokenReused(ILogger logger, Guid sessionId, Guid userId);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Infrastructure.Security;
using PracticePlatform.Users.Model;

namespace Microsoft.AspNetCore.Builder;

public static class LoginSessionsApi
{
    public static RouteGroupBuilder MapLoginSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/users/me/sessions").WithTags("Login sessions").RequireAuthorization();

        api.MapGet("/", ListSessions)
            .WithName("ListLoginSessions")
            .WithSummary("Where the caller is signed in: each active login with its device and when it was last used.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapDelete("/{id:guid}", RevokeSession)
            .WithName("RevokeLoginSession")
            .WithSummary("Sign one of the caller's logins out: its refresh token stops working at once.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Ok<List<LoginSessionSummary>>> ListSessions(
        ClaimsPrincipal caller,
        UsersDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var userId = UserId(caller);
        var current = Guid.TryParse(caller.FindFirstValue(PlatformClaims.Session), out var sid) ? sid : Guid.Empty;
        var now = time.GetUtcNow();
        var sessions = await db.LoginSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new LoginSessionSummary(s.Id, s.UserAgent, s.IpAddress, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.Id == current))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(sessions);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeSession(
        Guid id,
        ClaimsPrincipal caller,
        UsersDbContext db,
        AuditLog audit,
        TimeProvider time,
        RevokedSessions revoked,
        AccessTokenIssuer tokens,
        CancellationToken cancellationToken)
    {
        var userId = UserId(caller);

        // Someone else's session is "not found" too: its existence is none of the caller's business.
        var session = await db.LoginSessions.FirstOrDefaultAsync(s => s.Id == id && s.UserId == userId, cancellationToken);
        if (session is null)
        {
            return TypedResults.Problem($"You have no login session '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        if (session.RevokedAt is null)
        {
            session.RevokedAt = time.GetUtcNow();
            session.RevokedReason = "revoked by its owner";
            audit.Record(AuditEventTypes.SessionRevoked, AuditOutcome.Success, session.InstitutionId, userId, detail: $"login session {id}");
            await db.SaveChangesAsync(cancellationToken);
        }

        await revoked.RevokeAsync([id], tokens.RevocationWindow, cancellationToken);

        return TypedResults.NoContent();
    }

    private static Guid UserId(ClaimsPrincipal caller) =>
        Guid.TryParse(caller.FindFirstValue(PlatformClaims.Subject), out var id) ? id : Guid.Empty;
}

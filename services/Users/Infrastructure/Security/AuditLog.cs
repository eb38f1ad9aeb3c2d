using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Infrastructure.Security;

/// <summary>Adds audit events to the request's DbContext, with the caller's address and user agent, so they commit
/// with the change they describe; <see cref="SaveAsync"/> for events that are the only change (a failed login).</summary>
public sealed class AuditLog(UsersDbContext db, IHttpContextAccessor http)
{
    public void Record(
        string type,
        AuditOutcome outcome,
        Guid? institutionId,
        Guid? actorId,
        Guid? subjectId = null,
        string? detail = null)
    {
        var context = http.HttpContext;
        db.AuditEvents.Add(new AuditEvent
        {
            Type = type,
            Outcome = outcome,
            InstitutionId = institutionId,
            ActorId = actorId,
            SubjectId = subjectId,
            Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
            IpAddress = ClientAddress(context),
            UserAgent = UserAgent(context),
        });
    }

    public async Task SaveAsync(string type, AuditOutcome outcome, Guid? institutionId, Guid? actorId, string? detail, CancellationToken cancellationToken)
    {
        Record(type, outcome, institutionId, actorId, detail: detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static string? ClientAddress(HttpContext? context) => context?.Connection.RemoteIpAddress?.ToString();

    public static string? UserAgent(HttpContext? context) =>
        context?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 512)] : null;
}

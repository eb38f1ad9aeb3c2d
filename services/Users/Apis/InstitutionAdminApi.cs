using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Infrastructure.Mail;
using PracticePlatform.Users.Infrastructure.Security;
using PracticePlatform.Users.IntegrationEvents.Events;
using PracticePlatform.Users.Model;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// An institution's people: educators read members and cohorts; institution admins manage roles, cohorts,
/// invitations and deactivation, and read their tenant's audit log. Every query is scoped to the institution in the
/// path, and the caller must belong to it (platform admins reach every institution); another institution is "not
/// found".
/// </summary>
public static class InstitutionAdminApi
{
    internal static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public static RouteGroupBuilder MapInstitutionAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/users/institutions/{institutionId:guid}").WithTags("Institution administration")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/members", ListMembers).RequireAuthorization(PlatformPolicies.Educator)
            .WithName("ListMembers").WithSummary("The institution's members, optionally by role or cohort.");
        api.MapPut("/members/{userId:guid}/roles", ChangeRoles).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("ChangeMemberRoles").WithSummary("Set a member's roles (learner, educator, institution-admin).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/members/{userId:guid}/deactivate", Deactivate).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("DeactivateMember").WithSummary("Stop a member from signing in; every login of theirs ends.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/members/{userId:guid}/cohort", AssignCohort).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("AssignMemberCohort").WithSummary("Put a member in one of the institution's cohorts, or none.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/cohorts", ListCohorts).RequireAuthorization(PlatformPolicies.Educator)
            .WithName("ListCohorts").WithSummary("The institution's cohorts with their sizes.");
        api.MapPost("/cohorts", CreateCohort).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("CreateCohort").WithSummary("Create a cohort.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/cohorts/{cohortId:guid}/educators", ListCohortEducators).RequireAuthorization(PlatformPolicies.Educator)
            .WithName("ListCohortEducators").WithSummary("The educators who teach a cohort and so review its learners' sessions and reports.");
        api.MapPut("/cohorts/{cohortId:guid}/educators/{userId:guid}", AssignCohortEducator).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("AssignCohortEducator")
            .WithSummary("Make an educator of the institution teach a cohort. Takes effect in their next access token (at most one token lifetime).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/cohorts/{cohortId:guid}/educators/{userId:guid}", RemoveCohortEducator).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("RemoveCohortEducator").WithSummary("Stop an educator teaching a cohort.");
        api.MapPost("/invitations", Invite).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("CreateInvitation").WithSummary("E-mail someone an invitation to join with a role; they register with its token.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/invitations", ListInvitations).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("ListInvitations").WithSummary("The institution's invitations, newest first, optionally by status (pending, accepted, expired).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/audit", ReadAudit).RequireAuthorization(PlatformPolicies.InstitutionAdmin)
            .WithName("ReadAuditLog").WithSummary("The institution's security events, newest first; page with ?before=<id>.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return api;
    }

    public static async Task<Results<Ok<MemberPage>, ProblemHttpResult>> ListMembers(
        Guid institutionId, string? role, Guid? cohortId, int? page, int? pageSize,
        [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (!services.Caller.CanReadInstitution(institutionId))
        {
            return NotYours(institutionId);
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var members = services.Db.Users.AsNoTracking().Where(u => u.InstitutionId == institutionId);
        if (role is not null)
        {
            members = members.Where(u => u.Roles.Contains(role));
        }

        if (cohortId is not null)
        {
            members = members.Where(u => u.CohortId == cohortId);
        }

        var total = await members.CountAsync(cancellationToken);
        var items = await members.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new MemberPage(items.Select(MemberSummary.From).ToList(), total));
    }

    public static async Task<Results<Ok<MemberSummary>, ValidationProblem, ProblemHttpResult>> ChangeRoles(
        Guid institutionId, Guid userId, ChangeRolesRequest request,
        [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        var member = await MemberAsync(services, institutionId, userId, cancellationToken);
        if (member is null)
        {
            return NoSuchMember(userId);
        }

        if (userId == services.Caller.Id && !request.Roles.Contains(PlatformRoles.InstitutionAdmin) && !services.Caller.IsPlatformAdmin)
        {
            return TypedResults.Problem("You cannot remove your own institution-admin role; ask another admin.", statusCode: StatusCodes.Status409Conflict);
        }

        // A platform admin's platform role is not the institution's to take away.
        var roles = request.Roles.Concat(member.Roles.Where(r => r == PlatformRoles.PlatformAdmin)).Distinct().ToList();
        var before = string.Join(",", member.Roles);
        member.Roles = roles;
        services.Audit.Record(AuditEventTypes.RoleChanged, AuditOutcome.Success, institutionId, services.Caller.Id, member.Id,
            $"roles {before} -> {string.Join(",", roles)}");
        services.Outbox.Add(new UserRoleChanged(member.Id, member.InstitutionId, roles));
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MemberSummary.From(member));
    }

    public static async Task<Results<Ok<MemberSummary>, ProblemHttpResult>> Deactivate(
        Guid institutionId, Guid userId,
        [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        var member = await MemberAsync(services, institutionId, userId, cancellationToken);
        if (member is null)
        {
            return NoSuchMember(userId);
        }

        if (userId == services.Caller.Id)
        {
            return TypedResults.Problem("You cannot deactivate your own account.", statusCode: StatusCodes.Status409Conflict);
        }

        if (member.Status != UserStatus.Deactivated)
        {
            var now = services.Time.GetUtcNow();
            member.Status = UserStatus.Deactivated;
            var ended = await services.Db.LoginSessions.Where(s => s.UserId == member.Id && s.RevokedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
            await services.Db.LoginSessions.Where(s => ended.Contains(s.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "account deactivated"), cancellationToken);
            services.Audit.Record(AuditEventTypes.UserDeactivated, AuditOutcome.Success, institutionId, services.Caller.Id, member.Id);
            services.Outbox.Add(new UserDeactivated(member.Id, member.InstitutionId));
            await services.Db.SaveChangesAsync(cancellationToken);
            await services.Revoked.RevokeAsync(ended, services.Tokens.RevocationWindow, cancellationToken);
        }

        return TypedResults.Ok(MemberSummary.From(member));
    }

    public static async Task<Results<Ok<MemberSummary>, ProblemHttpResult>> AssignCohort(
        Guid institutionId, Guid userId, AssignCohortRequest request,
        [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        var member = await MemberAsync(services, institutionId, userId, cancellationToken);
        if (member is null)
        {
            return NoSuchMember(userId);
        }

        if (request.CohortId is { } cohortId && !await services.Db.Cohorts.AnyAsync(c => c.Id == cohortId && c.InstitutionId == institutionId, cancellationToken))
        {
            return TypedResults.Problem($"The institution has no cohort '{cohortId}'.", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        member.CohortId = request.CohortId;
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MemberSummary.From(member));
    }

    public static async Task<Results<Ok<List<CohortSummary>>, ProblemHttpResult>> ListCohorts(
        Guid institutionId, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (!services.Caller.CanReadInstitution(institutionId))
        {
            return NotYours(institutionId);
        }

        var cohorts = await services.Db.Cohorts.AsNoTracking()
            .Where(c => c.InstitutionId == institutionId)
            .OrderBy(c => c.Name)
            .Select(c => new CohortSummary(
                c.Id,
                c.Name,
                c.JoinCode,
                c.CreatedAt,
                services.Db.Users.Count(u => u.CohortId == c.Id),
                services.Db.CohortEducators.Count(t => t.CohortId == c.Id)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(cohorts);
    }

    public static async Task<Results<Created<CohortSummary>, ValidationProblem, ProblemHttpResult>> CreateCohort(
        Guid institutionId, CreateCohortRequest request, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (!services.Caller.CanReadInstitution(institutionId) || !await services.Db.Institutions.AnyAsync(i => i.Id == institutionId, cancellationToken))
        {
            return NotYours(institutionId);
        }

        var name = request.Name.Trim();
        if (await services.Db.Cohorts.AnyAsync(c => c.InstitutionId == institutionId && c.Name == name, cancellationToken))
        {
            return TypedResults.Problem($"The institution already has a cohort named '{name}'.", statusCode: StatusCodes.Status409Conflict);
        }

        if (request.NormalizedJoinCode is { } code
            && (await services.Db.Institutions.AnyAsync(i => i.JoinCode == code, cancellationToken)
                || await services.Db.Cohorts.AnyAsync(c => c.JoinCode == code, cancellationToken)))
        {
            return TypedResults.Problem($"The join code '{code}' is already in use; choose another.", statusCode: StatusCodes.Status409Conflict);
        }

        var cohort = new Cohort { InstitutionId = institutionId, Name = name, JoinCode = request.NormalizedJoinCode };
        services.Db.Cohorts.Add(cohort);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created(
            $"/v1/users/institutions/{institutionId}/cohorts",
            new CohortSummary(cohort.Id, cohort.Name, cohort.JoinCode, cohort.CreatedAt, 0, 0));
    }

    public static async Task<Results<Ok<List<CohortEducatorSummary>>, ProblemHttpResult>> ListCohortEducators(
        Guid institutionId, Guid cohortId, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (await CohortAsync(services, institutionId, cohortId, cancellationToken) is null)
        {
            return NoSuchCohort(cohortId);
        }

        var educators = await (
                from teaching in services.Db.CohortEducators.AsNoTracking()
                join user in services.Db.Users.AsNoTracking() on teaching.UserId equals user.Id
                where teaching.CohortId == cohortId
                orderby user.DisplayName
                select new CohortEducatorSummary(user.Id, user.Email, user.DisplayName, teaching.AssignedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(educators);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> AssignCohortEducator(
        Guid institutionId, Guid cohortId, Guid userId, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (await CohortAsync(services, institutionId, cohortId, cancellationToken) is null)
        {
            return NoSuchCohort(cohortId);
        }

        var member = await MemberAsync(services, institutionId, userId, cancellationToken);
        if (member is null)
        {
            return NoSuchMember(userId);
        }

        if (!member.Roles.Any(r => r is PlatformRoles.Educator or PlatformRoles.InstitutionAdmin))
        {
            return TypedResults.Problem(
                "Only an educator can teach a cohort: give the member the educator role first.",
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        // Idempotent: assigning twice leaves one assignment and one audit entry.
        if (!await services.Db.CohortEducators.AnyAsync(t => t.CohortId == cohortId && t.UserId == userId, cancellationToken))
        {
            services.Db.CohortEducators.Add(new CohortEducator { CohortId = cohortId, UserId = userId, AssignedBy = services.Caller.Id, AssignedAt = services.Time.GetUtcNow() });
            services.Audit.Record(AuditEventTypes.CohortEducatorAssigned, AuditOutcome.Success, institutionId, services.Caller.Id, userId, $"cohort {cohortId}");
            await services.Db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveCohortEducator(
        Guid institutionId, Guid cohortId, Guid userId, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (await CohortAsync(services, institutionId, cohortId, cancellationToken) is null)
        {
            return NoSuchCohort(cohortId);
        }

        var teaching = await services.Db.CohortEducators.FirstOrDefaultAsync(t => t.CohortId == cohortId && t.UserId == userId, cancellationToken);
        if (teaching is not null)
        {
            services.Db.CohortEducators.Remove(teaching);
            services.Audit.Record(AuditEventTypes.CohortEducatorRemoved, AuditOutcome.Success, institutionId, services.Caller.Id, userId, $"cohort {cohortId}");
            await services.Db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<InvitationSummary>, ValidationProblem, ProblemHttpResult>> Invite(
        Guid institutionId, CreateInvitationRequest request, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        var institution = services.Caller.CanReadInstitution(institutionId)
            ? await services.Db.Institutions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == institutionId, cancellationToken)
            : null;
        if (institution is null)
        {
            return NotYours(institutionId);
        }

        var email = request.Email.Trim();
        var normalized = User.Normalize(email);
        if (await services.Db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return TypedResults.Problem("Someone already has an account with this e-mail address.", statusCode: StatusCodes.Status409Conflict);
        }

        if (request.CohortId is { } cohortId && !await services.Db.Cohorts.AnyAsync(c => c.Id == cohortId && c.InstitutionId == institutionId, cancellationToken))
        {
            return TypedResults.Problem($"The institution has no cohort '{cohortId}'.", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var (token, hash) = OpaqueTokens.Create();
        var now = services.Time.GetUtcNow();
        var invitation = new Invitation
        {
            InstitutionId = institutionId, Email = email, NormalizedEmail = normalized, Role = request.Role, CohortId = request.CohortId,
            TokenHash = hash, InvitedBy = services.Caller.Id, CreatedAt = now, ExpiresAt = now + InvitationLifetime,
        };
        services.Db.Invitations.Add(invitation);
        services.Mailer.Queue(email, $"You are invited to {institution.Name} on PracticePlatform", $"""
            Hello,

            {services.Caller.Name ?? "An administrator"} invited you to join {institution.Name} on PracticePlatform as {request.Role}.
            Create your account here within seven days:

            {services.Mailer.Link("accept-invitation", token)}
            """, "invitation");
        services.Audit.Record(AuditEventTypes.Invited, AuditOutcome.Success, institutionId, services.Caller.Id, detail: $"{normalized} as {request.Role}");
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/users/institutions/{institutionId}/invitations/{invitation.Id}",
            new InvitationSummary(invitation.Id, email, invitation.Role, invitation.CohortId, invitation.ExpiresAt));
    }

    public static async Task<Results<Ok<List<InvitationListItem>>, ProblemHttpResult>> ListInvitations(
        Guid institutionId, string? status, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (!services.Caller.CanReadInstitution(institutionId))
        {
            return NotYours(institutionId);
        }

        if (status is not null && !InvitationStatuses.All.Contains(status, StringComparer.Ordinal))
        {
            return TypedResults.Problem($"status is one of: {string.Join(", ", InvitationStatuses.All)}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var now = services.Time.GetUtcNow();
        var invitations = services.Db.Invitations.AsNoTracking().Where(i => i.InstitutionId == institutionId);
        invitations = status switch
        {
            InvitationStatuses.Accepted => invitations.Where(i => i.AcceptedAt != null),
            InvitationStatuses.Pending => invitations.Where(i => i.AcceptedAt == null && i.ExpiresAt > now),
            InvitationStatuses.Expired => invitations.Where(i => i.AcceptedAt == null && i.ExpiresAt <= now),
            _ => invitations,
        };

        var items = await invitations.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(items.Select(i => InvitationListItem.From(i, now)).ToList());
    }

    public static async Task<Results<Ok<List<AuditEntry>>, ProblemHttpResult>> ReadAudit(
        Guid institutionId, long? before, int? limit, [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        if (!services.Caller.CanReadInstitution(institutionId))
        {
            return NotYours(institutionId);
        }

        if (limit is < 1 or > 200)
        {
            return TypedResults.Problem("limit must be between 1 and 200.", statusCode: StatusCodes.Status400BadRequest);
        }

        var entries = services.Db.AuditEvents.AsNoTracking().Where(a => a.InstitutionId == institutionId);
        if (before is not null)
        {
            entries = entries.Where(a => a.Id < before);
        }

        var page = await entries.OrderByDescending(a => a.Id).Take(limit ?? 50).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(AuditEntry.From).ToList());
    }

    private static async Task<User?> MemberAsync(AdminServices services, Guid institutionId, Guid userId, CancellationToken cancellationToken) =>
        services.Caller.CanReadInstitution(institutionId)
            ? await services.Db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.InstitutionId == institutionId, cancellationToken)
            : null;

    private static async Task<Cohort?> CohortAsync(AdminServices services, Guid institutionId, Guid cohortId, CancellationToken cancellationToken) =>
        services.Caller.CanReadInstitution(institutionId)
            ? await services.Db.Cohorts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cohortId && c.InstitutionId == institutionId, cancellationToken)
            : null;

    private static ProblemHttpResult NoSuchCohort(Guid cohortId) =>
        TypedResults.Problem($"The institution has no cohort '{cohortId}'.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult NotYours(Guid institutionId) =>
        TypedResults.Problem($"You belong to no institution '{institutionId}'.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult NoSuchMember(Guid userId) =>
        TypedResults.Problem($"The institution has no member '{userId}'.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>What the administration endpoints need besides the request.</summary>
/// <remarks>[FromServices] keeps the request validator out of these objects.</remarks>
public sealed record AdminServices(
    [FromServices] UsersDbContext Db,
    [FromServices] ICurrentUser Caller,
    [FromServices] AuditLog Audit,
    [FromServices] IEventOutbox Outbox,
    [FromServices] Mailer Mailer,
    [FromServices] RevokedSessions Revoked,
    [FromServices] AccessTokenIssuer Tokens,
    [FromServices] TimeProvider Time);

using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.Users.Infrastructure;
using PracticePlatform.Users.Infrastructure.Mail;
using PracticePlatform.Users.Infrastructure.Security;
using PracticePlatform.Users.Model;

namespace PracticePlatform.Users.Apis;

/// <summary>What the account endpoints need besides the request, bound with [AsParameters].</summary>
/// <remarks>[FromServices] also keeps the request validator out of these objects: without it, validation walks
/// into the DbContext's object graph and fails.</remarks>
public sealed record AccountServices(
    [FromServices] UsersDbContext Db,
    [FromServices] IPasswordHasher<User> Hasher,
    [FromServices] AccessTokenIssuer Tokens,
    [FromServices] LoginThrottle Throttle,
    [FromServices] AuditLog Audit,
    [FromServices] IEventOutbox Outbox,
    [FromServices] Mailer Mailer,
    [FromServices] RevokedSessions Revoked,
    [FromServices] IOptions<TokenSettings> Settings,
    [FromServices] TimeProvider Time,
    [FromServices] ILogger<AccountServices> Logger);

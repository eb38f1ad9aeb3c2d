using Microsoft.AspNetCore.Mvc;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.ServiceDefaults.Discovery;
using PracticePlatform.Sessions.Infrastructure;

namespace PracticePlatform.Sessions.Apis;

/// <summary>What starting a session needs besides the request.</summary>
/// <remarks>[FromServices] also keeps the request validator out of these objects: without it, validation walks
/// into the DbContext's object graph and fails.</remarks>
public sealed record SessionServices(
    [FromServices] SessionsDbContext Db,
    [FromServices] IEventOutbox Outbox,
    [FromServices] ContentClient Content,
    [FromServices] ISessionEntitlementPolicy Entitlement,
    [FromServices] ServiceEndpointResolver Endpoints,
    [FromServices] SessionMetrics Metrics,
    [FromServices] ICurrentUser User,
    [FromServices] IConfiguration Configuration,
    [FromServices] ILogger<SessionServices> Logger);

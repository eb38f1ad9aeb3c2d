using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using PracticePlatform.Redis;

namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>
/// Login sessions ended before their access tokens expire (logout, a revoked session, a reused refresh token, a
/// password reset, a deactivated account). The users service records them in Redis for as long as an access token
/// lives; every service refuses tokens of a recorded session, so ending a login takes effect at once rather than when
/// its last access token expires. Without Redis, or while it is unreachable, tokens are accepted (logged): the
/// fallback is the token's own short lifetime.
/// </summary>
public sealed partial class RevokedSessions(IServiceProvider services, ILogger<RevokedSessions> logger)
{
    private RedisClient? Redis => services.GetService<RedisClient>();

    /// <summary>Records <paramref name="sessionIds"/> as ended for <paramref name="remember"/> (at least the access
    /// token lifetime plus clock skew).</summary>
    public async Task RevokeAsync(IEnumerable<Guid> sessionIds, TimeSpan remember, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        if (Redis is not { } redis)
        {
            return;
        }

        await Task.WhenAll(sessionIds.Select(id => redis.SetAsync(Key(id), "1", remember, cancellationToken: cancellationToken)));
    }

    public async Task<bool> IsRevokedAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (Redis is not { } redis)
        {
            return false;
        }

        try
        {
            return await redis.GetAsync(Key(sessionId), cancellationToken) is not null;
        }
        catch (RedisException ex)
        {
            LogUnavailable(logger, ex.Message);
            return false;
        }
    }

    /// <summary>JwtBearer's OnTokenValidated: a token of an ended session fails like any invalid token.</summary>
    internal static async Task CheckAsync(TokenValidatedContext context)
    {
        var sid = context.Principal?.FindFirstValue(PlatformClaims.Session);
        if (Guid.TryParse(sid, CultureInfo.InvariantCulture, out var sessionId) &&
            await context.HttpContext.RequestServices.GetRequiredService<RevokedSessions>().IsRevokedAsync(sessionId, context.HttpContext.RequestAborted))
        {
            context.Fail(new SessionEndedException());
        }
    }

    private static string Key(Guid sessionId) => $"auth:ended-session:{sessionId:N}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check for ended login sessions in Redis; accepting the token: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}

/// <summary>The token belongs to a login session that has ended.</summary>
public sealed class SessionEndedException() : SecurityTokenException("The login session of this access token has ended.");

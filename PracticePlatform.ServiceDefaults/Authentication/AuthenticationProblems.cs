using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace PracticePlatform.ServiceDefaults.Authentication;

/// <summary>
/// 401 and 403 leave a service as ProblemDetails like every other error, with a detail that tells the client what to
/// do (sign in again, or stop trying).
/// </summary>
internal static class AuthenticationProblems
{
    public const string TokenRequired = "An access token is required.";
    public const string TokenExpired = "The access token has expired.";
    public const string TokenInvalid = "The access token is not valid.";
    public const string SessionEnded = "The login session of this access token has ended; log in again.";
    public const string AccessDenied = "You do not have access to this.";

    /// <summary>Replaces JwtBearer's empty 401 with a problem; the <c>WWW-Authenticate</c> header stays (RFC 6750).</summary>
    public static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var failure = context.AuthenticateFailure;
        var detail = failure switch
        {
            null => TokenRequired,
            _ when Is<SecurityTokenExpiredException>(failure) => TokenExpired,
            _ when Is<SessionEndedException>(failure) => SessionEnded,
            _ => TokenInvalid,
        };

        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.Append(HeaderNames.WWWAuthenticate, failure is null
            ? JwtBearerDefaults.AuthenticationScheme
            : $"{JwtBearerDefaults.AuthenticationScheme} error=\"invalid_token\", error_description=\"{detail}\"");
        await WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    public static async Task WriteAsync(HttpContext httpContext, int status, string title, string detail)
    {
        httpContext.Response.StatusCode = status;
        await httpContext.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    // JwtBearer reports several failed validations as one AggregateException.
    private static bool Is<TException>(Exception failure) where TException : Exception =>
        failure is TException || (failure is AggregateException aggregate && aggregate.InnerExceptions.Any(e => e is TException));
}

/// <summary>Lets the standard handler forbid (so every scheme is told), then gives the 403 a ProblemDetails body.</summary>
internal sealed class ForbiddenAsProblem : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        await _standard.HandleAsync(next, context, policy, authorizeResult);
        if (authorizeResult.Forbidden && !context.Response.HasStarted)
        {
            await AuthenticationProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", AuthenticationProblems.AccessDenied);
        }
    }
}

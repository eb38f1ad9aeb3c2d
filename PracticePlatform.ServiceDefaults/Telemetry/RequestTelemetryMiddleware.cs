using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PracticePlatform.ServiceDefaults.Telemetry;

/// <summary>
/// What the ASP.NET Core instrumentation package would add to the server span: the route template as its name and
/// the semantic-convention attributes; probe requests (/health, /alive) are not recorded.
/// </summary>
internal sealed class RequestTelemetryMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = Activity.Current;
        if (activity is null)
        {
            await next(context);
            return;
        }

        var path = context.Request.Path;
        if (path.StartsWithSegments("/health") || path.StartsWithSegments("/alive"))
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            var method = context.Request.Method;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            activity.DisplayName = route is null ? method : $"{method} {route}";
            SetIfMissing(activity, "http.request.method", method);
            SetIfMissing(activity, "url.path", path.Value);
            SetIfMissing(activity, "url.scheme", context.Request.Scheme);
            if (route is not null)
            {
                SetIfMissing(activity, "http.route", route);
            }

            activity.SetTag("http.response.status_code", context.Response.StatusCode);
            if (context.Response.StatusCode >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    private static void SetIfMissing(Activity activity, string key, object? value)
    {
        if (activity.GetTagItem(key) is null)
        {
            activity.SetTag(key, value);
        }
    }
}

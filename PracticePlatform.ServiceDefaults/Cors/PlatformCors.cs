using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace PracticePlatform.ServiceDefaults.Cors;

/// <summary>
/// Which browser origins may call the service's API: the web app's, bound from the <c>Cors</c> section. The runner
/// and the AppHost set <c>Cors__AllowedOrigins</c> to the web app's URL; without it no CORS headers are sent at all.
/// </summary>
public sealed class PlatformCorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Comma-separated origins (<c>http://localhost:5100,https://app.example.org</c>).</summary>
    public string? AllowedOrigins { get; set; }

    public IReadOnlyList<string> Origins =>
        (AllowedOrigins ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(origin => origin.TrimEnd('/'))
            .ToList();

    internal bool OriginsAreValid() => Origins.All(origin =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query));
}

public static class PlatformCorsExtensions
{
    public const string PolicyName = "web-app";

    /// <summary>
    /// Lets the configured origins call the API from a browser: any request header (Authorization, If-Match,
    /// Content-Type), the methods the APIs use, and the response headers a client needs (Location, ETag). Tokens
    /// travel in the Authorization header, never in cookies, so credentials stay off. Preflights are answered before
    /// routing and authentication, so they never meet a 401.
    /// </summary>
    public static TBuilder AddPlatformCors<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<PlatformCorsOptions>()
            .Bind(builder.Configuration.GetSection(PlatformCorsOptions.SectionName))
            .Validate(o => o.OriginsAreValid(), "Cors:AllowedOrigins must be comma-separated origins such as http://localhost:5100 (scheme, host and port only).")
            .ValidateOnStart();

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<PlatformCorsOptions>>((cors, platform) =>
            cors.AddPolicy(PolicyName, policy => policy
                .WithOrigins([.. platform.Value.Origins])
                .AllowAnyHeader()
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithExposedHeaders(HeaderNames.Location, HeaderNames.ETag)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        services.AddTransient<IStartupFilter, CorsStartupFilter>();
        return builder;
    }
}

/// <summary>Puts CORS ahead of routing and authorization, and leaves it out when no origin is configured.</summary>
internal sealed class CorsStartupFilter(IOptions<PlatformCorsOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (options.Value.Origins.Count > 0)
        {
            app.UseCors(PlatformCorsExtensions.PolicyName);
        }

        next(app);
    };
}

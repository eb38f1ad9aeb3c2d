using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PracticePlatform.ServiceDefaults.Authentication;

namespace PracticePlatform.Web;

/// <summary>What the browser learns from <c>GET /config.json</c>: where each service's public API is.</summary>
public sealed record WebAppConfiguration(IReadOnlyDictionary<string, string> Services);

public static partial class WebAppHostingExtensions
{
    private const string NotBuiltMessage = "The web app is not built: run scripts/build-web.sh";

    // Vite names every file under assets/ after a hash of its content, so a changed file is a new URL.
    private const string HashedAssetsCacheControl = "public, max-age=31536000, immutable";

    public static WebApplicationBuilder AddWebAppHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebAppOptions>()
            .Bind(builder.Configuration.GetSection(WebAppOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Public files only: the app signs in against the users service from the browser, never here.
        builder.Services.PostConfigure<PlatformAuthenticationOptions>(options => options.RequireAuthenticatedUserByDefault = false);

        builder.Services.AddSingleton(provider =>
        {
            var root = provider.GetRequiredService<IOptions<WebAppOptions>>().Value.RootDirectory;
            var environment = provider.GetRequiredService<IWebHostEnvironment>();
            return new WebAppFiles(Path.GetFullPath(Path.Combine(environment.ContentRootPath, root)));
        });
        builder.Services.AddSingleton(provider => ReadServices(provider.GetRequiredService<IConfiguration>()));
        builder.Services.AddResponseCompression(options => options.EnableForHttps = true);
        builder.Services.AddHealthChecks().AddCheck<WebAppBuiltCheck>("web-app");
        return builder;
    }

    /// <summary>The built files, compressed, with long caching for hashed assets and revalidation for the rest.</summary>
    public static WebApplication UseWebAppFiles(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<WebAppFiles>();
        if (!files.IsBuilt)
        {
            LogNotBuilt(app.Logger, files.RootDirectory);
        }

        app.UseResponseCompression();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal) ? HashedAssetsCacheControl : "no-cache",
        });
        return app;
    }

    /// <summary><c>GET /config.json</c>: the services' addresses from the same <c>services__*</c> contract every service reads.</summary>
    public static WebApplication MapWebAppConfiguration(this WebApplication app)
    {
        app.MapGet("/config.json", (HttpContext context, WebAppConfiguration configuration) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Ok(configuration);
            })
            .WithName("GetWebAppConfiguration")
            .AllowAnonymous();
        return app;
    }

    /// <summary>Client-side routing: every path that is not a file gets index.html.</summary>
    public static WebApplication MapWebAppFallback(this WebApplication app)
    {
        app.MapFallback((HttpContext context, WebAppFiles files) =>
            {
                var index = files.Index;
                if (!index.Exists || index.PhysicalPath is null)
                {
                    return Results.Content(NotBuiltPage, "text/html; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError);
                }

                context.Response.Headers.CacheControl = "no-cache";
                return Results.File(index.PhysicalPath, "text/html; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// services:{name}:https:0 (preferred, so an https page never calls http) or services:{name}:http:0 for every
    /// service the host was given.
    /// </summary>
    private static WebAppConfiguration ReadServices(IConfiguration configuration)
    {
        var services = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in configuration.GetSection("services").GetChildren())
        {
            var url = service["https:0"] ?? service["http:0"];
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                services[service.Key] = uri.GetLeftPart(UriPartial.Authority);
            }
        }

        return new WebAppConfiguration(services);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = NotBuiltMessage + " ({Root} has no index.html); every page answers 500 until it is built.")]
    private static partial void LogNotBuilt(ILogger logger, string root);

    private const string NotBuiltPage = $"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>PracticePlatform: web app not built</title></head>
        <body>
        <h1>{NotBuiltMessage}</h1>
        <p>The host is running, but <code>services/Web/app/dist</code> has no <code>index.html</code>.
        Build the app with <code>scripts/build-web.sh</code> (or run <code>./run.sh</code>, which builds it), then reload.</p>
        </body>
        </html>
        """;

    /// <summary>Degraded (still 200) while the app is not built: the host and /config.json work, the pages do not.</summary>
    private sealed class WebAppBuiltCheck(WebAppFiles files) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(files.IsBuilt
                ? HealthCheckResult.Healthy(files.RootDirectory)
                : HealthCheckResult.Degraded($"{NotBuiltMessage} ({files.RootDirectory} has no index.html)"));
    }
}

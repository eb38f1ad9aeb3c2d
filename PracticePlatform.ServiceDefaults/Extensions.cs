using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PracticePlatform.ServiceDefaults;
using PracticePlatform.ServiceDefaults.Authentication;
using PracticePlatform.ServiceDefaults.Cors;
using PracticePlatform.ServiceDefaults.Discovery;
using PracticePlatform.ServiceDefaults.Errors;
using PracticePlatform.ServiceDefaults.Resilience;
using PracticePlatform.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every PracticePlatform service gets from one call: telemetry, health checks, service discovery,
/// resilient HttpClients, ProblemDetails errors, CORS for the web app, validation of the platform's access tokens and an OpenAPI document. Mirrors the Aspire template's
/// ServiceDefaults, built from the packages that restore here.
/// </summary>
public static class ServiceDefaultsExtensions
{
    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.AddHttpResilience(builder.Configuration);
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddDefaultProblemDetails();
        builder.AddPlatformCors();
        builder.AddPlatformAuthentication();

        // The platform's API convention: enums travel as lower-case names ("active", "voice"), never as numbers.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(
            new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false)));
        builder.Services.AddOpenApi();

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (readiness: every registered check, the database included) and <c>/alive</c>
    /// (liveness: only checks tagged "live"), and the OpenAPI document at <c>/openapi/v1.json</c>.
    /// They are mapped in every environment because the runner, the AppHost and container platforms probe them, and
    /// they are anonymous because those probes carry no access token.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync })
            .DisableHttpMetrics()
            .AllowAnonymous();
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).DisableHttpMetrics().AllowAnonymous();

        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}

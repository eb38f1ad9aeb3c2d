using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PracticePlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Builds the OpenTelemetry tracer, meter and logger providers by hand (OpenTelemetry.Extensions.Hosting and the
/// instrumentation packages do not restore here). ASP.NET Core, HttpClient and Npgsql publish activities and
/// metrics natively; subscribing to their sources is what the instrumentation packages would do.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Every service's own ActivitySource and Meter is named "PracticePlatform.&lt;Something&gt;".</summary>
    public const string PlatformSources = "PracticePlatform.*";

    internal static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        PlatformSources,
    ];

    internal static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
        "Npgsql",
        PlatformSources,
    ];

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var settings = OtlpSettings.From(builder.Configuration, builder.Environment.ApplicationName);
        var instanceId = Guid.NewGuid().ToString();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ServiceInstrumentation>();

        if (settings.ExportEnabled)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
                logging.SetResourceBuilder(CreateResource(settings, instanceId));
                logging.AddOtlpExporter((exporter, processor) =>
                {
                    settings.Apply(exporter, OtlpSignal.Logs);
                    processor.BatchExportProcessorOptions.ScheduledDelayMilliseconds = settings.BatchScheduleDelayMilliseconds;
                });
            });
        }

        // The tracer provider is built even without an exporter: its listener is what makes ASP.NET Core and
        // HttpClient create activities, so trace ids reach logs and traceparent headers reach other services.
        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(CreateResource(settings, instanceId))
                .AddSource(ActivitySources);
            if (settings.ExportEnabled)
            {
                tracing.AddOtlpExporter(exporter =>
                {
                    settings.Apply(exporter, OtlpSignal.Traces);
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = settings.BatchScheduleDelayMilliseconds;
                });
            }

            return tracing.Build()!;
        });

        builder.Services.AddSingleton(_ =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(CreateResource(settings, instanceId))
                .AddMeter(Meters);
            if (settings.ExportEnabled)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    settings.Apply(exporter, OtlpSignal.Metrics);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricExportIntervalMilliseconds;
                });
            }

            return metrics.Build()!;
        });

        builder.Services.AddHostedService<TelemetryProvidersActivation>();
        return builder;
    }

    private static ResourceBuilder CreateResource(OtlpSettings settings, string instanceId) =>
        ResourceBuilder.CreateEmpty()
            .AddService(settings.ServiceName, serviceInstanceId: instanceId)
            .AddTelemetrySdk()
            .AddAttributes(settings.ResourceAttributes);
}

/// <summary>Creates the providers when the host starts (so the first request is already traced) and flushes them
/// when it stops, which the hosting package would otherwise do.</summary>
internal sealed class TelemetryProvidersActivation(TracerProvider tracerProvider, MeterProvider meterProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracerProvider.ForceFlush(2000);
        meterProvider.ForceFlush(2000);
        return Task.CompletedTask;
    }
}

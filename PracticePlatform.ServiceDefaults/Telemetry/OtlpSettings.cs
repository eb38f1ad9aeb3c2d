using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace PracticePlatform.ServiceDefaults.Telemetry;

public enum OtlpSignal
{
    Traces,
    Metrics,
    Logs,
}

/// <summary>
/// The OTEL_* part of the configuration contract (what Aspire injects), read from IConfiguration so that
/// environment variables, appsettings and test overrides all work the same way.
/// </summary>
public sealed record OtlpSettings(
    string ServiceName,
    Uri? Endpoint,
    OtlpExportProtocol Protocol,
    string? Headers,
    IReadOnlyDictionary<string, object> ResourceAttributes,
    int BatchScheduleDelayMilliseconds,
    int MetricExportIntervalMilliseconds)
{
    public bool ExportEnabled => Endpoint is not null;

    public static OtlpSettings From(IConfiguration configuration, string applicationName)
    {
        var endpointText = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        Uri? endpoint = null;
        if (!string.IsNullOrWhiteSpace(endpointText) &&
            !Uri.TryCreate(endpointText.Trim(), UriKind.Absolute, out endpoint))
        {
            throw new InvalidOperationException(
                $"OTEL_EXPORTER_OTLP_ENDPOINT '{endpointText}' is not an absolute URI (expected e.g. http://localhost:4317).");
        }

        var attributes = ParseResourceAttributes(configuration["OTEL_RESOURCE_ATTRIBUTES"]);
        var serviceName = configuration["OTEL_SERVICE_NAME"];
        if (string.IsNullOrWhiteSpace(serviceName))
        {
            serviceName = attributes.TryGetValue("service.name", out var fromAttributes)
                ? (string)fromAttributes
                : applicationName;
        }

        attributes.Remove("service.name");

        return new OtlpSettings(
            serviceName,
            endpoint,
            ParseProtocol(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]),
            configuration["OTEL_EXPORTER_OTLP_HEADERS"],
            attributes,
            ParseMilliseconds(configuration["OTEL_BSP_SCHEDULE_DELAY"], 5000),
            ParseMilliseconds(configuration["OTEL_METRIC_EXPORT_INTERVAL"], 60000));
    }

    /// <summary>Configures one signal's exporter. For http/protobuf the signal path is appended, as the spec asks
    /// when only the base OTEL_EXPORTER_OTLP_ENDPOINT is given.</summary>
    public void Apply(OtlpExporterOptions options, OtlpSignal signal)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Endpoint is null)
        {
            return;
        }

        options.Protocol = Protocol;
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf ? SignalEndpoint(Endpoint, signal) : Endpoint;
        if (!string.IsNullOrWhiteSpace(Headers))
        {
            options.Headers = Headers;
        }
    }

    internal static Uri SignalEndpoint(Uri baseEndpoint, OtlpSignal signal)
    {
        var path = signal switch
        {
            OtlpSignal.Traces => "v1/traces",
            OtlpSignal.Metrics => "v1/metrics",
            _ => "v1/logs",
        };
        var text = baseEndpoint.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + path : text + "/" + path);
    }

    internal static OtlpExportProtocol ParseProtocol(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new InvalidOperationException(
            $"OTEL_EXPORTER_OTLP_PROTOCOL '{value}' is not supported: use 'grpc' or 'http/protobuf'."),
    };

    /// <summary>Parses <c>key1=value1,key2=value2</c> (values percent-decoded, as the spec allows).</summary>
    internal static Dictionary<string, object> ParseResourceAttributes(string? value)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return result;
        }

        foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            result[pair[..separator].Trim()] = Uri.UnescapeDataString(pair[(separator + 1)..].Trim());
        }

        return result;
    }

    private static int ParseMilliseconds(string? value, int fallback) =>
        int.TryParse(value, out var parsed) && parsed > 0 ? parsed : fallback;
}

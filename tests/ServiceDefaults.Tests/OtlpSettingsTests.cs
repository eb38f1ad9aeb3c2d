using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using PracticePlatform.ServiceDefaults.Telemetry;

namespace PracticePlatform.ServiceDefaults.Tests;

public sealed class OtlpSettingsTests
{
    private static OtlpSettings Read(params (string Key, string Value)[] settings) =>
        OtlpSettings.From(
            new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
                .Build(),
            "Fallback.Api");

    [Fact]
    public void Export_is_off_without_an_endpoint_and_the_application_name_is_the_service_name()
    {
        var settings = Read();

        settings.ExportEnabled.Should().BeFalse();
        settings.ServiceName.Should().Be("Fallback.Api");
    }

    [Fact]
    public void The_OTEL_variables_are_honoured()
    {
        var settings = Read(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "x-otlp-api-key=secret"),
            ("OTEL_SERVICE_NAME", "users"),
            ("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=abc, deployment.environment=local%20dev"));

        var exporter = new OtlpExporterOptions();
        settings.Apply(exporter, OtlpSignal.Traces);

        settings.ServiceName.Should().Be("users");
        settings.ResourceAttributes.Should().Contain("service.instance.id", "abc").And.Contain("deployment.environment", "local dev");
        exporter.Protocol.Should().Be(OtlpExportProtocol.HttpProtobuf);
        exporter.Endpoint.Should().Be(new Uri("http://localhost:4318/v1/traces"));
        exporter.Headers.Should().Be("x-otlp-api-key=secret");
    }

    [Fact]
    public void Grpc_is_the_default_protocol_and_uses_the_endpoint_as_given()
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"));
        var exporter = new OtlpExporterOptions();

        settings.Apply(exporter, OtlpSignal.Logs);

        exporter.Protocol.Should().Be(OtlpExportProtocol.Grpc);
        exporter.Endpoint.Should().Be(new Uri("http://localhost:4317"));
    }

    [Fact]
    public void The_service_name_can_come_from_the_resource_attributes()
    {
        Read(("OTEL_RESOURCE_ATTRIBUTES", "service.name=content")).ServiceName.Should().Be("content");
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "not a uri")]
    public void Unsupported_values_fail_at_start_with_a_clear_message(string key, string value)
    {
        var act = () => Read((key, value));

        act.Should().Throw<InvalidOperationException>().WithMessage($"*{key}*");
    }
}

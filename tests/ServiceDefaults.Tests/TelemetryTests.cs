using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PracticePlatform.ServiceDefaults.Telemetry;

namespace PracticePlatform.ServiceDefaults.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task The_services_own_ActivitySource_is_named_after_it_and_is_traced()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "sessions" });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();

        var instrumentation = host.Services.GetRequiredService<ServiceInstrumentation>();
        using var activity = instrumentation.ActivitySource.StartActivity("start practice session");

        instrumentation.Name.Should().Be("PracticePlatform.sessions");
        activity.Should().NotBeNull("the tracer provider listens to PracticePlatform.* sources");
        activity!.Recorded.Should().BeTrue();
        await host.StopAsync();
    }

    [Fact]
    public async Task Health_probes_are_not_recorded_as_traces()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        // Other tests run in parallel in this process: only this test's requests carry this trace id.
        var traceId = ActivityTraceId.CreateRandom();
        var recorded = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Recorded && a.TraceId == traceId)
                {
                    lock (recorded)
                    {
                        recorded.Add(a.DisplayName);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/v1/things/{id}", (int id) => id);
        await app.StartAsync();
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        await client.GetAsync("/health");
        await client.GetAsync("/alive");
        await client.GetAsync("/v1/things/7");

        lock (recorded)
        {
            recorded.Should().Equal("GET /v1/things/{id}");
        }
    }
}

using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Polly.CircuitBreaker;

namespace PracticePlatform.ServiceDefaults.Tests;

/// <summary>The standard pipeline around a scripted primary handler: what every service's HttpClient gets.</summary>
public sealed class ResilienceTests
{
    private sealed class ScriptedHandler(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            var status = answers[Math.Min(Requests.Count - 1, answers.Length - 1)];
            return Task.FromResult(new HttpResponseMessage(status));
        }
    }

    private static (HttpClient Client, ScriptedHandler Handler) Client(ScriptedHandler handler, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:content:http:0"] = "http://localhost:5102",
            ["HttpClientDefaults:Resilience:RetryBaseDelay"] = "00:00:00.001",
        }.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("test", c => c.BaseAddress = new Uri("http://content"))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        var services = builder.Build().Services;
        return (services.GetRequiredService<IHttpClientFactory>().CreateClient("test"), handler);
    }

    [Fact]
    public async Task A_GET_that_meets_transient_failures_is_retried_until_it_succeeds_at_the_resolved_address()
    {
        var (client, handler) = Client(new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK));

        var response = await client.GetAsync("/v1/x");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        handler.Requests.Should().HaveCount(3).And.OnlyContain(u => u == new Uri("http://localhost:5102/v1/x"));
    }

    [Fact]
    public async Task A_POST_is_not_repeated_because_it_may_already_have_taken_effect()
    {
        var (client, handler) = Client(new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));

        var response = await client.PostAsync("/v1/x", new StringContent("{}"));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        handler.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        var (client, handler) = Client(new ScriptedHandler(HttpStatusCode.NotFound));

        (await client.GetAsync("/v1/x")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        handler.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_stops_calling_the_service()
    {
        var (client, handler) = Client(
            new ScriptedHandler(HttpStatusCode.InternalServerError),
            ("HttpClientDefaults:Resilience:MinimumThroughput", "4"),
            ("HttpClientDefaults:Resilience:FailureRatio", "0.5"),
            ("HttpClientDefaults:Resilience:MaxRetryAttempts", "0"),
            ("HttpClientDefaults:Resilience:BreakDuration", "00:00:30"));

        for (var i = 0; i < 4; i++)
        {
            (await client.GetAsync("/v1/x")).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }

        var act = () => client.GetAsync("/v1/x");

        await act.Should().ThrowAsync<BrokenCircuitException>();
        handler.Requests.Should().HaveCount(4);
    }

    [Fact]
    public async Task Invalid_resilience_settings_are_rejected_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HttpClientDefaults:Resilience:AttemptTimeout"] = "00:01:00",
            ["HttpClientDefaults:Resilience:TotalRequestTimeout"] = "00:00:10",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        await act.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>();
    }
}

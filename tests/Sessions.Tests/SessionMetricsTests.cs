using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;

namespace PracticePlatform.Sessions.Tests;

[Collection(ServersCollection.Name)]
public sealed class SessionMetricsTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly ServiceFactory<Program> _factory = new(servers, "sessionsdb");
    private readonly List<(string Instrument, long Value, string? Mode)> _measurements = [];
    private readonly MeterListener _listener = new();
    private ContentStandIn _content = null!;
    private BillingStandIn _billing = null!;

    public async Task InitializeAsync()
    {
        _content = await ContentStandIn.StartAsync();
        _billing = await BillingStandIn.StartAsync();
        _factory.Settings["services:billing:http:0"] = _billing.Address;
        _factory.Settings["services:content:http:0"] = _content.Address;
        _factory.Settings["LiveKit:Url"] = "wss://livekit.test";
        _factory.Settings["services:realtime:http:0"] = "http://localhost:5104";
        var meters = _factory.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this host's meter: other hosts in the process have their own factory.
            if (instrument.Meter.Scope == meters && instrument.Name.StartsWith("practiceplatform.sessions.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? mode = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "session.mode")
                {
                    mode = tag.Value as string;
                }
            }

            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, mode));
            }
        });
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _factory.DisposeAsync();
        await _content.DisposeAsync();
        await _billing.DisposeAsync();
    }

    [Fact]
    public async Task Starting_and_ending_sessions_is_counted_on_the_services_own_meter()
    {
        var client = _factory.CreateClient(TestUser.Learner(Guid.CreateVersion7()));
        var scenarioId = _content.Publish(version: 1);

        var first = await client.PostAsJsonAsync("/v1/sessions", new { scenarioId, mode = "text" });
        var second = await client.PostAsJsonAsync("/v1/sessions", new { scenarioId, mode = "video" });
        var ended = await client.PostAsync($"{first.Headers.Location}/end", null);
        var endedAgain = await client.PostAsync($"{first.Headers.Location}/end", null);
        var unknownScenario = await client.PostAsJsonAsync("/v1/sessions", new { scenarioId = Guid.NewGuid(), mode = "text" });

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.Created);
        ended.StatusCode.Should().Be(HttpStatusCode.OK);
        endedAgain.StatusCode.Should().Be(HttpStatusCode.Conflict);
        unknownScenario.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        lock (_measurements)
        {
            _measurements.Should().BeEquivalentTo(new[]
            {
                ("practiceplatform.sessions.started", 1L, (string?)"text"),
                ("practiceplatform.sessions.started", 1L, (string?)"video"),
                ("practiceplatform.sessions.completed", 1L, (string?)null),
            });
        }

    }
}

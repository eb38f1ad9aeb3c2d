using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.Tests;

[Collection(RedisCollection.Name)]
public sealed class MetricsTests(RedisFixture redis)
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}";

    [Fact]
    public async Task Publishing_delivering_retrying_and_dead_lettering_are_counted_per_event_type()
    {
        await using var service = await EventBusHost.StartAsync(
            redis.ConnectionString, _prefix, "sessions", maxDeliveryAttempts: 2, retryDelay: TimeSpan.FromMilliseconds(50));
        var meterFactory = service.Services.GetRequiredService<IMeterFactory>();
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "PracticePlatform.EventBus" && instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "event.type", Value: "OrderPlaced" })
                {
                    totals.AddOrUpdate(instrument.Name, value, (_, total) => instrument is ObservableGauge<long> ? value : total + value);
                }
            }
        });
        listener.Start();
        service.Log.Behaviour = (e, _, _) => e.Item == "broken" ? throw new InvalidOperationException("no") : Task.CompletedTask;

        await service.Bus.PublishAsync(new OrderPlaced("fine", 1));
        await service.Log.NextAsync();
        await service.Bus.PublishAsync(new OrderPlaced("broken", 1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (totals.GetValueOrDefault("eventbus.dead_lettered") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        listener.RecordObservableInstruments();

        totals.GetValueOrDefault("eventbus.published").Should().Be(2);
        totals.GetValueOrDefault("eventbus.delivered").Should().Be(1);
        totals.GetValueOrDefault("eventbus.retried").Should().Be(1);
        totals.GetValueOrDefault("eventbus.dead_lettered").Should().Be(1);
        totals.Should().ContainKey("eventbus.consumer.lag");
        totals["eventbus.consumer.lag"].Should().Be(0);
    }
}

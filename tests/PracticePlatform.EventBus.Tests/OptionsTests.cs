using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PracticePlatform.Testing;

namespace PracticePlatform.EventBus.Tests;

[Collection(RedisCollection.Name)]
public sealed class OptionsTests(RedisFixture redis)
{
    [Fact]
    public void The_consumer_group_defaults_to_OTEL_SERVICE_NAME()
    {
        using var host = Build(new() { ["OTEL_SERVICE_NAME"] = "sessions" });

        host.Services.GetRequiredService<IOptions<EventBusOptions>>().Value.ServiceName.Should().Be("sessions");
    }

    [Fact]
    public void Without_OTEL_SERVICE_NAME_the_consumer_group_is_the_application_name_in_lower_case()
    {
        using var host = Build(new() { [HostDefaults.ApplicationKey] = "Billing.Api" });

        host.Services.GetRequiredService<IOptions<EventBusOptions>>().Value.ServiceName.Should().Be("billing.api");
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_from_starting()
    {
        using var host = Build(new() { ["EventBus:ServiceName"] = "sessions", ["EventBus:MaxDeliveryAttempts"] = "0" });

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("MaxDeliveryAttempts");
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Configuration = new ConfigurationManager(),
            ApplicationName = settings.GetValueOrDefault(HostDefaults.ApplicationKey),
        });
        settings["ConnectionStrings:redis"] = redis.ConnectionString;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEventBus().AddSubscription<OrderPlaced, OrderPlacedHandler>();
        builder.Services.AddSingleton<HandlerLog>();
        return builder.Build();
    }
}

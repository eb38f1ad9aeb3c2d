using Microsoft.Extensions.Configuration;
using PracticePlatform.ServiceDefaults.Discovery;

namespace PracticePlatform.ServiceDefaults.Tests;

public sealed class ServiceEndpointResolverTests
{
    private static ServiceEndpointResolver Resolver(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void A_logical_http_name_resolves_to_the_injected_endpoint_keeping_path_and_query()
    {
        var resolver = Resolver(("services:content:http:0", "http://localhost:5102"));

        resolver.Resolve(new Uri("http://content/v1/content/scenarios?page=2"))
            .Should().Be(new Uri("http://localhost:5102/v1/content/scenarios?page=2"));
    }

    [Fact]
    public void Https_plus_http_prefers_https_and_falls_back_to_http()
    {
        var both = Resolver(("services:content:http:0", "http://localhost:5102"), ("services:content:https:0", "https://localhost:7102"));
        var httpOnly = Resolver(("services:content:http:0", "http://localhost:5102"));

        both.Resolve(new Uri("https+http://content/x")).Should().Be(new Uri("https://localhost:7102/x"));
        httpOnly.Resolve(new Uri("https+http://content/x")).Should().Be(new Uri("http://localhost:5102/x"));
    }

    [Fact]
    public void A_named_endpoint_is_chosen_with_an_underscore_prefix()
    {
        var resolver = Resolver(("services:ai:http:0", "http://localhost:5105"), ("services:ai:admin:0", "http://localhost:6105"));

        resolver.Resolve(new Uri("http://_admin.ai/status")).Should().Be(new Uri("http://localhost:6105/status"));
    }

    [Fact]
    public void Several_endpoints_are_used_in_turn()
    {
        var resolver = Resolver(("services:realtime:http:0", "http://localhost:5104"), ("services:realtime:http:1", "http://localhost:6104"));

        var ports = Enumerable.Range(0, 4).Select(_ => resolver.Resolve(new Uri("http://realtime/")).Port).ToList();

        ports.Should().Equal(5104, 6104, 5104, 6104);
    }

    [Fact]
    public void Real_host_names_and_unknown_plain_names_pass_through()
    {
        var resolver = Resolver(("services:content:http:0", "http://localhost:5102"));

        resolver.Resolve(new Uri("https://api.example.org/x")).Should().Be(new Uri("https://api.example.org/x"));
        resolver.Resolve(new Uri("http://billing/x")).Should().Be(new Uri("http://billing/x"));
    }

    [Fact]
    public void An_unknown_service_with_a_plus_scheme_fails_with_a_message_naming_it()
    {
        var resolver = Resolver();

        var act = () => resolver.Resolve(new Uri("https+http://billing/x"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*billing*");
    }
}

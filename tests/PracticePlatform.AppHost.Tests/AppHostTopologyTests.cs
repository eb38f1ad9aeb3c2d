using FluentAssertions;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.AppHost.Tests;

/// <summary>
/// PracticePlatform.AppHost must start the same topology as the native runner: the resources, databases,
/// references and ports that <see cref="PlatformTopology"/> lists. The AppHost cannot be built here, so its
/// source is read as a syntax tree and compared.
/// </summary>
public class AppHostTopologyTests
{
    public static TheoryData<string> Services => new(PlatformTopology.Services.Select(s => s.Name));

    public static TheoryData<string> ApiServices => new(PlatformTopology.ApiServices.Select(s => s.Name));

    private static AppHostModel AppHost => AppHostModel.Load(Repository.AppHostSource);

    [Fact]
    public void The_AppHost_adds_one_postgres_server_under_the_topology_name()
    {
        AppHost.AddedWith("AddPostgres").Select(r => r.Name).Should().Equal(PlatformTopology.PostgresResource);
    }

    [Fact]
    public void The_AppHost_keeps_postgres_data_in_a_volume()
    {
        AppHost.AddedWith("AddPostgres").Single().OtherCalls.Should().Contain("WithDataVolume");
    }

    [Fact]
    public void The_AppHost_adds_one_redis_under_the_topology_name()
    {
        AppHost.AddedWith("AddRedis").Select(r => r.Name).Should().Equal(PlatformTopology.RedisResource);
    }

    [Fact]
    public void The_AppHost_adds_exactly_the_topology_databases_to_the_postgres_server()
    {
        var databases = AppHost.AddedWith("AddDatabase").ToList();

        databases.Select(d => d.Name).Should().BeEquivalentTo(PlatformTopology.Databases);
        databases.Should().OnlyContain(
            d => d.Parent != null && d.Parent.AddMethod == "AddPostgres" && d.Parent.Name == PlatformTopology.PostgresResource,
            "every database lives on the one postgres server");
    }

    [Fact]
    public void The_AppHost_adds_exactly_the_topology_services_as_projects()
    {
        AppHost.AddedWith("AddProject").Select(p => p.Name)
            .Should().BeEquivalentTo(PlatformTopology.Services.Select(s => s.Name));
    }

    [Fact]
    public void The_AppHost_adds_an_Azure_Container_Apps_environment_for_azd()
    {
        AppHost.AddedWith("AddAzureContainerAppEnvironment").Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_is_added_with_the_Projects_type_generated_from_its_project_file(string service)
    {
        var topology = PlatformTopology.Service(service);

        // The AppHost SDK names the generated type after the project file, with dots made underscores.
        var expected = "Projects." + topology.AssemblyName.Replace('.', '_').Replace('-', '_');

        AppHost.Project(service).TypeArgument.Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_references_exactly_its_database_redis_and_the_services_it_calls(string service)
    {
        var topology = PlatformTopology.Service(service);
        string[] state = topology.Database is { } database ? [database, PlatformTopology.RedisResource] : [];
        string[] expected = [.. state, .. topology.References];

        AppHost.Project(service).References.Should().BeEquivalentTo(
            expected,
            "{0} owns [{1}] and calls [{2}]", service, string.Join(", ", state), string.Join(", ", topology.References));
    }

    [Theory]
    [MemberData(nameof(ApiServices))]
    public void A_service_waits_for_its_database_and_redis(string service)
    {
        var topology = PlatformTopology.Service(service);

        AppHost.Project(service).Waits.Should().Contain([topology.Database!, PlatformTopology.RedisResource]);
    }

    [Theory]
    [MemberData(nameof(ApiServices))]
    public void A_service_allows_the_web_apps_origin(string service)
    {
        AppHost.Project(service).EnvironmentVariables.Should().Contain("Cors__AllowedOrigins", "the browser calls {0} from the web app's pages", service);
    }

    [Fact]
    public void The_web_app_is_reachable_from_outside()
    {
        AppHost.Project(PlatformTopology.WebResource).OtherCalls.Should().Contain("WithExternalHttpEndpoints");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_waits_only_for_resources_it_references(string service)
    {
        var project = AppHost.Project(service);

        project.Waits.Should().OnlyHaveUniqueItems().And.BeSubsetOf(project.References);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_waits_for_every_service_it_calls_unless_that_service_waits_for_it(string service)
    {
        var appHost = AppHost;
        var project = appHost.Project(service);

        foreach (var called in PlatformTopology.Service(service).References.Where(c => !project.Waits.Contains(c)))
        {
            // Two services that call each other cannot both wait: Aspire would hold both in Waiting forever.
            WaitsFor(appHost, called, service).Should().BeTrue(
                "{0} calls {1} without waiting for it, which is only right when {1} already waits for {0}", service, called);
        }
    }

    [Fact]
    public void No_resources_wait_for_each_other_in_a_cycle()
    {
        var appHost = AppHost;

        foreach (var resource in appHost.Resources)
        {
            resource.Waits.Should().NotContain(
                waited => WaitsFor(appHost, waited, resource.Name),
                "{0} would wait for a resource that waits for {0}", resource.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_is_health_checked_over_http_at_health(string service)
    {
        AppHost.Project(service).HealthCheckPaths.Should().Equal("/health");
    }

    /// <summary>Whether <paramref name="from"/> waits, directly or through others, for <paramref name="to"/>.</summary>
    private static bool WaitsFor(AppHostModel appHost, string from, string to)
    {
        var waits = appHost.Resources
            .GroupBy(r => r.Name)
            .ToDictionary(g => g.Key, g => g.SelectMany(r => r.Waits).ToList());
        var seen = new HashSet<string>();
        var pending = new Stack<string>([from]);
        while (pending.TryPop(out var current))
        {
            foreach (var next in waits.GetValueOrDefault(current) ?? [])
            {
                if (next == to)
                {
                    return true;
                }

                if (seen.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return false;
    }
}

using System.Text.Json;
using System.Xml.Linq;
using FluentAssertions;
using PracticePlatform.NativeHosting;

namespace PracticePlatform.AppHost.Tests;

/// <summary>
/// What the AppHost build would check where Aspire restores: its project references, its SDK and package
/// versions, and the ports the services' own launch profiles give (the AppHost keeps a project's launch-profile
/// port as the service's port).
/// </summary>
public class AppHostProjectFileTests
{
    public static TheoryData<string> Services => new(PlatformTopology.Services.Select(s => s.Name));

    // A service whose project another change has not added yet has no launch profile to read; the AppHost
    // tests above still hold its entry in AppHost.cs to the topology.
    public static TheoryData<string> ServicesWithAProject =>
        new(PlatformTopology.Services.Where(s => File.Exists(Repository.PathOf(s.Project))).Select(s => s.Name));

    private static AppHostProjectFile ProjectFile => AppHostProjectFile.Load(Repository.AppHostProject);

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_project_is_a_ProjectReference_of_the_AppHost(string service)
    {
        var topology = PlatformTopology.Service(service);

        ProjectFile.ProjectReferences.Should().Contain(Repository.PathOf(topology.Project));
    }

    [Fact]
    public void The_AppHost_references_no_project_outside_the_topology()
    {
        ProjectFile.ProjectReferences.Should().BeEquivalentTo(
            PlatformTopology.Services.Select(s => Repository.PathOf(s.Project)),
            "each ProjectReference of an AppHost becomes a generated Projects type and a resource");
    }

    [Fact]
    public void The_AppHost_uses_the_Aspire_SDK_version_that_global_json_pins()
    {
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("global.json")));
        var pinned = globalJson.RootElement.GetProperty("msbuild-sdks").GetProperty("Aspire.AppHost.Sdk").GetString();

        ProjectFile.Sdk.Should().Be($"Aspire.AppHost.Sdk/{pinned}");
    }

    [Fact]
    public void Every_AppHost_package_takes_its_version_from_Directory_Packages_props()
    {
        var central = XDocument.Load(Repository.PathOf("Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Select(AppHostProjectFile.Include)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var packages = ProjectFile.PackageReferences.ToList();

        packages.Should().NotBeEmpty();
        packages.Should().OnlyContain(p => p.Attribute("Version") == null, "versions are managed centrally");
        packages.Select(AppHostProjectFile.Include).Should().BeSubsetOf(central);
    }

    [Theory]
    [MemberData(nameof(ServicesWithAProject))]
    public void A_service_launch_profile_listens_on_its_topology_port(string service)
    {
        var topology = PlatformTopology.Service(service);
        var launchSettings = Path.Combine(Path.GetDirectoryName(Repository.PathOf(topology.Project))!, "Properties", "launchSettings.json");
        using var document = JsonDocument.Parse(
            File.ReadAllText(launchSettings),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        var projectProfiles = document.RootElement.GetProperty("profiles").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("commandName", out var command) && command.GetString() == "Project")
            .ToList();

        projectProfiles.Should().NotBeEmpty("the AppHost starts {0} with one of its Project launch profiles", service);
        foreach (var profile in projectProfiles)
        {
            var httpPorts = profile.Value.GetProperty("applicationUrl").GetString()!
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(url => new Uri(url))
                .Where(uri => uri.Scheme == Uri.UriSchemeHttp)
                .Select(uri => uri.Port);

            httpPorts.Should().Equal([topology.Port], "profile '{0}' of {1} should listen on the topology port", profile.Name, service);
        }
    }
}

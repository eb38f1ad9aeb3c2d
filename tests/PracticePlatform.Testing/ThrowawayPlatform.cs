using PracticePlatform.NativeHosting;

namespace PracticePlatform.Testing;

public static class ThrowawayPlatform
{
    /// <summary>The whole platform as ./run.sh starts it (LocalPlatform), with throwaway state on a free block of ports,
    /// run from this test run's build configuration: what the system and web tests start.</summary>
    public static LocalPlatformOptions Options(string purpose) => new()
    {
        RepositoryRoot = RepositoryRoot.Path,
        StateDirectory = TestDirectories.Create(purpose),
        Throwaway = true,
        PortOffset = FreePortOffset(),
        Configuration = BuildConfiguration,
    };

#if DEBUG
    public const string BuildConfiguration = "Debug";
#else
    public const string BuildConfiguration = "Release";
#endif

    /// <summary>An offset that moves every default port of the topology onto a free one.</summary>
    public static int FreePortOffset()
    {
        var defaults = PlatformTopology.Services.Select(s => s.Port)
            .Append(PlatformTopology.PostgresPort)
            .Append(PlatformTopology.RedisPort)
            .ToList();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var offset = Random.Shared.Next(1, 400) * 10 + 10000;
            if (defaults.All(port => Ports.IsFree(port + offset)))
            {
                return offset;
            }
        }

        throw new InvalidOperationException("No free block of ports for the platform.");
    }
}

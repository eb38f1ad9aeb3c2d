namespace PracticePlatform.Testing;

/// <summary>Temporary folders for test servers. Kept short (Unix socket paths are limited to ~107 bytes) and
/// outside /root, which the postgres user cannot enter when tests run as root.</summary>
public static class TestDirectories
{
    public static string Create(string purpose)
    {
        var directory = System.IO.Path.Combine("/tmp", $"pp-{purpose}-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(directory);
        return directory;
    }
}

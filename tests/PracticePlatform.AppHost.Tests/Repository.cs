namespace PracticePlatform.AppHost.Tests;

/// <summary>Paths in the repository this test assembly was built from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string AppHostSource => PathOf("PracticePlatform.AppHost/AppHost.cs");

    public static string AppHostProject => PathOf("PracticePlatform.AppHost/PracticePlatform.AppHost.csproj");

    public static string PathOf(string relativePath) =>
        Path.GetFullPath(Path.Combine(Root, relativePath.Replace('\\', '/')));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PracticePlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' holds PracticePlatform.sln.");
    }
}

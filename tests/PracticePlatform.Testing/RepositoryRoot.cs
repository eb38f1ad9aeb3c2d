namespace PracticePlatform.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding PracticePlatform.sln, found by walking up from the test assembly.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "PracticePlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"PracticePlatform.sln not found above {AppContext.BaseDirectory}.");
    }
}

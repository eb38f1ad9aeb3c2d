using PracticePlatform.Testing;

namespace PracticePlatform.WebTests;

/// <summary>Full-page PNGs of the main screens in test-results/screenshots/ at the repository root (named in the README).</summary>
public static class Screenshots
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "test-results", "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, name + ".png"), FullPage = true });
    }
}

using PracticePlatform.NativeHosting;
using PracticePlatform.Testing;

namespace PracticePlatform.WebTests;

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebPlatform>
{
    public const string Name = "web app";
}

/// <summary>
/// The whole platform as ./run.sh starts it, the web host included, with throwaway state on free ports, and one
/// headless Chromium (the distribution's, never one that `playwright install` downloads). Each person in a test
/// gets a browser context of their own, so their sign-ins do not mix.
/// </summary>
public sealed class WebPlatform : IAsyncLifetime
{
    // ENVIRONMENT.md: what Chromium needs to run headless as root on the build machines.
    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private LocalPlatform? _platform;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string AppDirectory => Path.Combine(RepositoryRoot.Path, "services", "Web", "app");

    public LocalPlatform Platform => _platform ?? throw new InvalidOperationException("Not started.");

    public Uri WebUrl => Platform.ServiceUrl(PlatformTopology.WebResource);

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(AppDirectory, "dist", "index.html")))
        {
            throw new InvalidOperationException("The web app is not built (services/Web/app/dist/index.html is missing): run scripts/build-web.sh");
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        _platform = await LocalPlatform.StartAsync(ThrowawayPlatform.Options("web"));
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    /// <summary>A fresh browser (context) for one person, its pages addressed relative to the web app.</summary>
    public async Task<Visitor> NewVisitorAsync()
    {
        var context = await (_browser ?? throw new InvalidOperationException("Not started.")).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = WebUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        return new Visitor(context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}

/// <summary>One person's browser: a context and its page.</summary>
public sealed record Visitor(IBrowserContext Context, IPage Page) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}

using static Microsoft.Playwright.Assertions;

namespace PracticePlatform.WebTests;

/// <summary>
/// Every main screen, as a learner, the demo educator and the demo institution admin see it: axe-core finds no
/// serious or critical violation, and each screen is saved as a PNG in test-results/screenshots/. Each screen is also
/// seen 375 px wide (a phone): nothing may scroll sideways, and it is saved with a -mobile suffix.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class MainScreensTests(WebPlatform web)
{
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 375, Height = 812 };

    private readonly List<Accessibility.Violation> _violations = [];
    private readonly List<string> _overflows = [];

    [Fact]
    public async Task The_main_screens_have_no_serious_or_critical_accessibility_violations()
    {
        await using (var visitor = await web.NewVisitorAsync())
        {
            var page = visitor.Page;
            var learner = new Learner(page);

            await page.GotoAsync("/login");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
            await CheckAsync(page, "01-login");

            await learner.GoToRegisterAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create account", Exact = true })).ToBeVisibleAsync();
            await CheckAsync(page, "02-register");

            await learner.RegisterAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sharing a lung cancer diagnosis", Exact = true })).ToBeVisibleAsync();
            await CheckAsync(page, "03-scenarios");

            await learner.OpenScenarioAsync("lung cancer", "Sharing a lung cancer diagnosis");
            await CheckAsync(page, "04-scenario-brief");

            var (sessionId, _) = await learner.StartPracticeAsync();
            await learner.SayAsync("Hello, I'm Dr Lee, one of the doctors looking after you today.");
            await learner.SayAsync("Before I go through the results, what do you understand about why we did the scan?");
            await CheckAsync(page, "05-practice");

            await learner.EndSessionAsync(sessionId);
            await learner.WaitForReportAsync();
            await CheckAsync(page, "06-report");

            await learner.WaitForProgressAsync(sessionsAssessed: 1);
            await CheckAsync(page, "07-progress");

            await page.GetByRole(AriaRole.Link, new() { Name = "My sessions", Exact = true }).First.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "View report", Exact = true })).ToHaveCountAsync(1);
            await CheckAsync(page, "08-my-sessions");
        }

        await using (var visitor = await web.NewVisitorAsync())
        {
            var page = visitor.Page;
            await Learner.SignInAsync(page, DemoAccounts.EducatorEmail, DemoAccounts.EducatorPassword);

            await page.GetByRole(AriaRole.Link, new() { Name = "Authoring", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authoring", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New scenario", Exact = true })).ToBeVisibleAsync();
            await CheckAsync(page, "09-authoring");

            await page.GetByRole(AriaRole.Button, new() { Name = "New scenario", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Title", Exact = true })).ToBeVisibleAsync();
            await CheckAsync(page, "10-scenario-editor");

            await page.GetByRole(AriaRole.Link, new() { Name = "Review", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open report", Exact = true }).First).ToBeVisibleAsync();
            await CheckAsync(page, "11-review");
        }

        await using (var visitor = await web.NewVisitorAsync())
        {
            var page = visitor.Page;
            await Learner.SignInAsync(page, DemoAccounts.AdminEmail, DemoAccounts.AdminPassword);

            await page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Administration", Exact = true })).ToBeVisibleAsync();
            foreach (var (tab, screen) in new[] { ("Members", "12-administration"), ("Cohorts", "13-administration-cohorts"), ("Invitations", "14-administration-invitations"), ("Audit log", "15-administration-audit-log") })
            {
                await page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
                await Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
                await CheckAsync(page, screen);
            }
        }

        _violations.Should().BeEmpty("axe-core reports no serious or critical violations; found:{0}{1}",
            Environment.NewLine, string.Join(Environment.NewLine, _violations));
        _overflows.Should().BeEmpty("no main screen scrolls sideways 375 px wide; these do:{0}{1}",
            Environment.NewLine, string.Join(Environment.NewLine, _overflows));
    }

    private async Task CheckAsync(IPage page, string screen)
    {
        // Let loading states settle so the screen is checked (and pictured) as a person would see it.
        await Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, screen);
        _violations.AddRange(await Accessibility.SeriousViolationsAsync(page, screen));
        await CheckOnAPhoneAsync(page, screen);
    }

    private async Task CheckOnAPhoneAsync(IPage page, string screen)
    {
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        try
        {
            // Charts re-measure themselves after a resize: give the layout a moment to settle before judging it.
            await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new() { Timeout = 3_000 });
        }
        catch (TimeoutException)
        {
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            _overflows.Add($"{screen}: {widths[0]} px of content in a {widths[1]} px window");
        }

        await Screenshots.SaveAsync(page, screen + "-mobile");
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
    }
}

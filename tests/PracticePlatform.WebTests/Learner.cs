using System.Diagnostics;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace PracticePlatform.WebTests;

/// <summary>A learner using the web app, through the accessible names the app promises (its contract with these tests).</summary>
public sealed class Learner(IPage page)
{
    public const string JoinCode = "DEMO-COHORT";

    public IPage Page { get; } = page;

    public string Email { get; } = $"learner-{Guid.NewGuid():N}@example.org";

    public string DisplayName { get; } = $"Ada Webtest {Random.Shared.Next(1000, 9999)}";

    public string Password { get; } = "lantern-harbour-meadow-2026";

    public async Task GoToRegisterAsync() => await Page.GotoAsync("/register");

    /// <summary>Registers with the demo cohort's join code: signed in, on the scenario list.</summary>
    public async Task RegisterAsync()
    {
        await GoToRegisterAsync();
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(Email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await Page.GetByLabel("Display name", new() { Exact = true }).FillAsync(DisplayName);
        await Page.GetByLabel("Join code", new() { Exact = true }).FillAsync(JoinCode);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/scenarios$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Scenarios", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Searches the catalogue and opens the scenario's brief.</summary>
    public async Task OpenScenarioAsync(string search, string title)
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = "Scenarios", Exact = true }).First.ClickAsync();
        await Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search scenarios", Exact = true }).FillAsync(search);
        var scenario = Page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true });
        await Expect(scenario).ToBeVisibleAsync();
        await scenario.ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Starts practice from the brief; returns the session id and how long until the learner could type.</summary>
    public async Task<(Guid SessionId, TimeSpan UntilUsable)> StartPracticeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start practice", Exact = true }).ClickAsync();
        await Page.WaitForURLAsync(new Regex("/practice/[0-9a-f-]{36}$"));
        var untilUsable = await WaitUntilPracticeIsUsableAsync(stopwatch);
        return (Guid.Parse(Page.Url[^36..]), untilUsable);
    }

    /// <summary>The practice screen is usable once the message box is enabled and the connection is open.</summary>
    public async Task<TimeSpan> WaitUntilPracticeIsUsableAsync(Stopwatch since)
    {
        // Polled on every animation frame (Playwright's expectations back off to a second), so the figure is close.
        await Page.WaitForFunctionAsync(
            """
            () => {
              const connected = [...document.querySelectorAll('[role="status"], output')].some(e => e.textContent.includes('Connected'));
              const labelled = [...document.querySelectorAll('label')].filter(l => l.textContent.trim() === 'Your message').map(l => l.control);
              const box = [...labelled, ...document.querySelectorAll('[aria-label="Your message"]')].find(Boolean);
              return connected && box && !box.disabled;
            }
            """,
            null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        var elapsed = since.Elapsed;
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Practice", Exact = true })).ToBeVisibleAsync();
        await Expect(MessageBox).ToBeEnabledAsync();
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connected" })).ToBeVisibleAsync();
        return elapsed;
    }

    public ILocator MessageBox => Page.GetByRole(AriaRole.Textbox, new() { Name = "Your message", Exact = true });

    public ILocator Conversation => Page.GetByRole(AriaRole.Log, new() { Name = "Conversation", Exact = true });

    public ILocator PatientMessages => Conversation.Locator("[data-speaker=\"patient\"]");

    /// <summary>Sends one utterance and waits for the patient's streamed reply to be complete; returns the reply.</summary>
    public async Task<string> SayAsync(string utterance)
    {
        var repliesBefore = await PatientMessages.CountAsync();
        var learnerBefore = await Conversation.Locator("[data-speaker=\"learner\"]").CountAsync();
        await MessageBox.FillAsync(utterance);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Expect(Conversation.Locator("[data-speaker=\"learner\"]")).ToHaveCountAsync(learnerBefore + 1);
        await Expect(Conversation.Locator("[data-speaker=\"learner\"]").Last).ToContainTextAsync(utterance);
        await Expect(PatientMessages).ToHaveCountAsync(repliesBefore + 1, new() { Timeout = 30_000 });

        // The reply grows in place while it streams: it is complete when it has stopped growing.
        var reply = PatientMessages.Last;
        string previous = "", current = await reply.InnerTextAsync();
        var stable = Stopwatch.StartNew();
        var deadline = Stopwatch.StartNew();
        while (stable.Elapsed < TimeSpan.FromMilliseconds(700) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            previous = current;
            current = await reply.InnerTextAsync();
            if (current != previous || string.IsNullOrWhiteSpace(current))
            {
                stable.Restart();
            }
        }

        return current.Trim();
    }

    /// <summary>Ends the session (no confirmation) and lands on its report, which is ready once "Feedback report" shows.</summary>
    public async Task EndSessionAsync(Guid sessionId)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "End session", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/sessions/{sessionId}/report$"));
    }

    public async Task WaitForReportAsync()
    {
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Feedback report", Exact = true }))
            .ToBeVisibleAsync(new() { Timeout = 60_000 });
    }

    /// <summary>Progress counts a report once sessions has handled its event: reload until it shows.</summary>
    public async Task WaitForProgressAsync(int sessionsAssessed)
    {
        var expected = $"Sessions assessed: {sessionsAssessed}";
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await Page.GetByRole(AriaRole.Link, new() { Name = "Progress", Exact = true }).First.ClickAsync();
            await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Progress", Exact = true })).ToBeVisibleAsync();
            try
            {
                await Expect(Page.GetByText(expected)).ToBeVisibleAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException && deadline.Elapsed < TimeSpan.FromSeconds(45))
            {
                await Page.GetByRole(AriaRole.Link, new() { Name = "Scenarios", Exact = true }).First.ClickAsync();
            }
        }
    }

    /// <summary>Signs in on /login (any account).</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
    }
}

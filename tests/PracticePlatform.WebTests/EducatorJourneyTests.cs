using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace PracticePlatform.WebTests;

[Collection(WebAppCollection.Name)]
public sealed class EducatorJourneyTests(WebPlatform web)
{
    [Fact]
    public async Task The_demo_educator_creates_edits_and_publishes_a_scenario()
    {
        await using var visitor = await web.NewVisitorAsync();
        var page = visitor.Page;
        var title = $"Web test: a sore throat {Random.Shared.Next(10000, 99999)}";
        await Learner.SignInAsync(page, DemoAccounts.EducatorEmail, DemoAccounts.EducatorPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Authoring", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authoring", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New scenario", Exact = true }).ClickAsync();

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Title", Exact = true }).FillAsync(title);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true })
            .FillAsync("A student with a sore throat who wants antibiotics; practise exploring expectations.");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Patient name", Exact = true }).FillAsync("Sam Okafor");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Presenting complaint", Exact = true }).FillAsync("Sore throat for three days");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/educator/scenarios/[0-9a-f-]{36}/edit$"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new Regex(@"Published version \d+") })).ToBeVisibleAsync();
        var first = PublishedVersion(await page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new Regex(@"Published version \d+") }).InnerTextAsync());

        // Editing the published scenario starts a new draft; publishing it is the next version.
        await page.GetByRole(AriaRole.Link, new() { Name = "Authoring", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit {title}", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Title", Exact = true })).ToHaveValueAsync(title);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Summary", Exact = true })
            .FillAsync("A student with a sore throat who expects antibiotics; explore ideas, concerns and expectations.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Published version {first + 1}" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "journey-scenario-published");
    }

    [Fact]
    public async Task The_demo_educator_overrides_an_item_of_a_cohort_learners_report_with_a_reason()
    {
        Guid sessionId;
        await using (var learnerVisitor = await web.NewVisitorAsync())
        {
            var learner = new Learner(learnerVisitor.Page);
            await learner.RegisterAsync();
            await learner.OpenScenarioAsync("diabetes", "A new diagnosis of type 2 diabetes");
            (sessionId, _) = await learner.StartPracticeAsync();
            await learner.SayAsync("Hello, I'm Dr Lee, one of the doctors here.");
            await learner.SayAsync("What do you already know about diabetes?");
            await learner.SayAsync("What worries you most about it?");
            await learner.EndSessionAsync(sessionId);
            await learner.WaitForReportAsync();
        }

        await using var visitor = await web.NewVisitorAsync();
        var page = visitor.Page;
        await Learner.SignInAsync(page, DemoAccounts.EducatorEmail, DemoAccounts.EducatorPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Review", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review", Exact = true })).ToBeVisibleAsync();
        var openReport = page.GetByRole(AriaRole.Link, new() { Name = "Open report", Exact = true })
            .And(page.Locator($"a[href$='/sessions/{sessionId}/report']"));
        await openReport.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Feedback report", Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });

        var item = page.Locator("article").First;
        var itemTitle = (await item.Locator("h3").InnerTextAsync()).Trim();
        var engineSaid = Regex.IsMatch(await item.InnerTextAsync(), @"\bPresent\b") ? "Present" : "Absent";
        var corrected = engineSaid == "Present" ? "Absent" : "Present";
        var reason = $"Reviewed the recording: corrected to {corrected.ToLowerInvariant()} ({Guid.NewGuid():N})"[..60];

        await page.GetByRole(AriaRole.Button, new() { Name = $"Override {itemTitle}", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = corrected, Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Reason", Exact = true }).FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save override", Exact = true }).ClickAsync();

        var overridden = page.Locator("article").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = itemTitle, Exact = true }) });
        await Expect(overridden).ToContainTextAsync($"Educator override: {corrected}");
        await Expect(overridden).ToContainTextAsync(reason);
        await Screenshots.SaveAsync(page, "journey-report-override");

        // The override is stored, not only shown: it is still there when the report is read again.
        await page.ReloadAsync();
        await Expect(overridden).ToContainTextAsync($"Educator override: {corrected}");
    }

    private static int PublishedVersion(string status) =>
        int.Parse(Regex.Match(status, @"Published version (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
        var scenarioId = Guid.Parse(Regex.Match(page.Url, "/educator/scenarios/([0-9a-f-]{36})/edit").Groups[1].Value);
        var marker = Random.Shared.Next(10000, 99999);
        var hiddenFact = $"Sam has a final exam on Friday and is frightened of failing it ({marker}).";
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Fact 1", Exact = true }).FillAsync(hiddenFact);

        // The dialogue flow and the rubric: each new row takes focus at its first field.
        var topic = await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Remove topic \d+$") }).CountAsync() + 1;
        await page.GetByRole(AriaRole.Button, new() { Name = "Add topic", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = $"Topic {topic} code", Exact = true })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Topic {topic} code", Exact = true }).FillAsync("antibiotic_hopes");
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Topic {topic} description", Exact = true })
            .FillAsync("Explore what Sam hopes antibiotics would do for him.");
        var phrasing = $"What were you hoping we could do about your throat today? ({marker})";
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Topic {topic} example phrasing 1", Exact = true }).FillAsync(phrasing);

        var branch = await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Remove branch \d+$") }).CountAsync() + 1;
        await page.GetByRole(AriaRole.Button, new() { Name = "Add branch", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = $"Branch {branch} when", Exact = true })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Branch {branch} when", Exact = true }).FillAsync("the learner asks about his exams");
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Branch {branch} patient state", Exact = true }).FillAsync("anxious");
        var response = $"Honestly, I just can't be ill this week ({marker}).";
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Branch {branch} patient response", Exact = true }).FillAsync(response);

        var item = await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Remove content item \d+$") }).CountAsync() + 1;
        await page.GetByRole(AriaRole.Button, new() { Name = "Add content item", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = $"Content item {item} code", Exact = true })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Content item {item} code", Exact = true }).FillAsync("explores_antibiotic_hopes");
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Content item {item} description", Exact = true })
            .FillAsync("Explores what Sam expects from antibiotics before explaining why they would not help.");
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Content item {item} framework reference", Exact = true }).FillAsync("ICE: expectations");
        await page.GetByLabel($"Content item {item} weight", new() { Exact = true }).FillAsync("2");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Draft saved." })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        // The preview: the learner's brief never shows a hidden fact; the part only the author sees does.
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview", Exact = true })).ToBeFocusedAsync();
        var learnerPart = page.GetByRole(AriaRole.Region, new() { Name = "What learners see", Exact = true });
        var authorPart = page.GetByRole(AriaRole.Region, new() { Name = "Only you see this", Exact = true });
        await Expect(learnerPart).ToContainTextAsync(title);
        await Expect(learnerPart).ToContainTextAsync("Sore throat for three days");
        await Expect(learnerPart).Not.ToContainTextAsync(hiddenFact);
        await Expect(learnerPart).Not.ToContainTextAsync(phrasing);
        await Expect(learnerPart).Not.ToContainTextAsync(response);
        await Expect(authorPart).ToContainTextAsync(hiddenFact);
        await Expect(authorPart).ToContainTextAsync(phrasing);
        await Expect(authorPart).ToContainTextAsync(response);
        await Screenshots.SaveAsync(page, "journey-scenario-preview");
        (await Accessibility.SeriousViolationsAsync(page, "scenario-editor-preview")).Should().BeEmpty();
        await page.GetByRole(AriaRole.Button, new() { Name = "Close preview", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Preview", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Preview", Exact = true })).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Published version {first + 1}" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "journey-scenario-published");

        // The published version holds what the editor added (read as staff: the full view).
        var published = await ReadAsEducatorAsync($"/v1/content/scenarios/{scenarioId}/versions/{first + 1}");
        published.GetProperty("view").GetString().Should().Be("full");
        var topics = published.GetProperty("flow").GetProperty("topics").EnumerateArray().ToList();
        topics.Should().ContainSingle(t => t.GetProperty("code").GetString() == "antibiotic_hopes"
            && t.GetProperty("examplePhrasings").EnumerateArray().Any(p => p.GetString() == phrasing));
        published.GetProperty("flow").GetProperty("branches").EnumerateArray()
            .Should().ContainSingle(b => b.GetProperty("patientResponse").GetString() == response && b.GetProperty("patientState").GetString() == "anxious");
        published.GetProperty("rubric").GetProperty("contentItems").EnumerateArray()
            .Should().ContainSingle(i => i.GetProperty("code").GetString() == "explores_antibiotic_hopes" && i.GetProperty("weight").GetDouble() == 2);
        published.GetProperty("persona").GetProperty("hiddenFacts").EnumerateArray()
            .Should().Contain(f => f.GetProperty("fact").GetString() == hiddenFact);
    }

    private async Task<JsonElement> ReadAsEducatorAsync(string path)
    {
        using var http = new HttpClient();
        using var login = await http.PostAsJsonAsync(
            new Uri(web.Platform.ServiceUrl("users"), "/v1/users/login"),
            new { email = DemoAccounts.EducatorEmail, password = DemoAccounts.EducatorPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(web.Platform.ServiceUrl("content"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var answer = await http.SendAsync(request);
        answer.EnsureSuccessStatusCode();
        return await answer.Content.ReadFromJsonAsync<JsonElement>();
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

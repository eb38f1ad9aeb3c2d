using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PracticePlatform.WebTests;

[Collection(WebAppCollection.Name)]
public sealed class LearnerJourneyTests(WebPlatform web, ITestOutputHelper output)
{
    private const string ScenarioTitle = "Acute chest pain in the emergency department";

    private static readonly string[] Utterances =
    [
        "Hello, I'm Dr Lee, one of the doctors here.",
        "Can you confirm your full name and date of birth for me?",
        "What brought you in today?",
        "Can you describe the pain for me?",
        "What worries you most about all this?",
        "We need a heart tracing and a blood test now. Is that okay with you?",
    ];

    [Fact]
    public async Task A_learner_registers_practises_a_seed_scenario_reads_the_report_and_sees_progress()
    {
        await using var visitor = await web.NewVisitorAsync();
        var learner = new Learner(visitor.Page);
        var page = visitor.Page;

        await learner.RegisterAsync();
        await learner.OpenScenarioAsync("chest pain", ScenarioTitle);
        var (sessionId, untilUsable) = await learner.StartPracticeAsync();
        output.WriteLine($"practice screen usable {untilUsable.TotalMilliseconds:F0} ms after pressing \"Start practice\" (session created, page routed, socket open)");

        var replies = new List<string>();
        foreach (var utterance in Utterances.Take(2))
        {
            replies.Add(await learner.SayAsync(utterance));
        }

        // A fresh load of the practice page (the app, /config.json, a token, the socket): the conversation resumes whole.
        var reload = Stopwatch.StartNew();
        await page.ReloadAsync();
        var afterReload = await learner.WaitUntilPracticeIsUsableAsync(reload);
        output.WriteLine($"practice screen usable {afterReload.TotalMilliseconds:F0} ms after a full page load of /practice/{sessionId}");
        await Expect(learner.Conversation.Locator("[data-speaker=\"learner\"]")).ToHaveCountAsync(2);
        await Expect(learner.PatientMessages.Filter(new() { HasText = replies[1][..Math.Min(20, replies[1].Length)] })).Not.ToHaveCountAsync(0);

        foreach (var utterance in Utterances.Skip(2))
        {
            replies.Add(await learner.SayAsync(utterance));
        }

        replies.Should().OnlyContain(reply => reply.Length > 0, "the patient answers every turn");
        await Expect(learner.Conversation.Locator("[data-speaker=\"learner\"]")).ToHaveCountAsync(Utterances.Length);
        await Screenshots.SaveAsync(page, "journey-practice-conversation");

        await learner.EndSessionAsync(sessionId);
        await learner.WaitForReportAsync();

        var items = page.Locator("article");
        await Expect(items.First).ToBeVisibleAsync();
        (await items.CountAsync()).Should().BeGreaterThanOrEqualTo(16, "the sixteen Consultation essentials, then the scenario's own items");
        foreach (var item in await items.AllAsync())
        {
            await Expect(item.Locator("h3")).ToHaveCountAsync(1);
            (await item.InnerTextAsync()).Should().MatchRegex(@"\b(Present|Absent)\b");
        }

        var transcript = page.GetByRole(AriaRole.Region, new() { Name = "Transcript", Exact = true });
        await Expect(transcript).ToContainTextAsync(Utterances[0]);
        var highlighted = transcript.Locator("mark");
        await Expect(highlighted.First).ToBeVisibleAsync();
        var quote = (await highlighted.First.InnerTextAsync()).Trim();
        quote.Should().NotBeEmpty();
        await Expect(items.Filter(new() { HasText = quote })).Not.ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "journey-report");

        await learner.WaitForProgressAsync(sessionsAssessed: 1);

        await page.GetByRole(AriaRole.Link, new() { Name = "My sessions", Exact = true }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My sessions", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText(ScenarioTitle).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "View report", Exact = true })).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "View report", Exact = true }))
            .ToHaveAttributeAsync("href", new Regex($"/sessions/{sessionId}/report$"));
    }
}

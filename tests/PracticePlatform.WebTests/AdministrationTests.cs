using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace PracticePlatform.WebTests;

/// <summary>
/// The demo institution admin runs the institution from /admin: a cohort with its own join code, an educator to teach
/// it, an invitation, a member moved into it, a member deactivated after a confirmation; every tab passes axe-core.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class AdministrationTests(WebPlatform web)
{
    private const string DemoEducator = "Dr Demo Educator";

    private readonly List<Accessibility.Violation> _violations = [];

    [Fact]
    public async Task The_demo_admin_creates_a_cohort_staffs_it_invites_someone_and_assigns_a_member_to_it()
    {
        await using var newcomer = await web.NewVisitorAsync();
        var learner = new Learner(newcomer.Page);
        await learner.RegisterAsync();

        await using var admin = await web.NewVisitorAsync();
        var page = admin.Page;
        var suffix = Random.Shared.Next(100000, 999999);
        var cohort = $"Ward round {suffix}";
        var joinCode = $"WARD-{suffix}";
        var invited = $"invited-{Guid.NewGuid():N}@example.org";
        await Learner.SignInAsync(page, DemoAccounts.AdminEmail, DemoAccounts.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Administration", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {learner.DisplayName}", Exact = true })).ToBeVisibleAsync();
        await CheckAsync(page, "Members");

        await OpenTabAsync(page, "Cohorts");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Cohort name", Exact = true }).FillAsync(cohort);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Join code (optional)", Exact = true }).FillAsync(joinCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create cohort", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "created" })).ToHaveTextAsync($"Cohort {cohort} created with join code {joinCode}.");
        var card = page.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = cohort, Exact = true }) });
        await Expect(card).ToContainTextAsync(joinCode);
        await Expect(card).ToContainTextAsync("No educators teach this cohort.");

        await card.GetByRole(AriaRole.Combobox, new() { Name = $"Educator to add to {cohort}", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = DemoEducator });
        await card.GetByRole(AriaRole.Button, new() { Name = "Add educator", Exact = true }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = $"Remove {DemoEducator} from {cohort}", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "teaches" })).ToHaveTextAsync($"{DemoEducator} now teaches {cohort}.");
        await CheckAsync(page, "Cohorts");

        await OpenTabAsync(page, "Invitations");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true }).FillAsync(invited);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Role", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Learner" });
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Cohort", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = cohort });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Invitation sent" })).ToContainTextAsync($"Invitation sent to {invited} as Learner");
        var invitation = page.GetByRole(AriaRole.Row).Filter(new() { HasText = invited });
        await Expect(invitation).ToHaveCountAsync(1);
        await Expect(invitation).ToContainTextAsync("Pending");
        await Expect(invitation).ToContainTextAsync(cohort);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Status", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Accepted" });
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = invited })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Status", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Pending" });
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = invited })).ToContainTextAsync("Pending");
        await CheckAsync(page, "Invitations");

        await OpenTabAsync(page, "Members");
        var member = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {learner.DisplayName}", Exact = true }) });
        await member.GetByRole(AriaRole.Combobox, new() { Name = $"Cohort for {learner.DisplayName}", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = cohort });
        await member.GetByRole(AriaRole.Button, new() { Name = "Save cohort", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "is now in" })).ToHaveTextAsync($"{learner.DisplayName} is now in {cohort}.");

        // Read back from the service, not from the form: the cohort now counts the member.
        await OpenTabAsync(page, "Cohorts");
        await Expect(card.Locator("dd").Nth(1)).ToHaveTextAsync("1");
        await OpenTabAsync(page, "Members");
        var assigned = page.GetByRole(AriaRole.Combobox, new() { Name = $"Cohort for {learner.DisplayName}", Exact = true });
        (await assigned.EvaluateAsync<string>("select => select.selectedOptions[0].text")).Should().Be(cohort);

        await OpenTabAsync(page, "Audit log");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Event type", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Educator assigned to cohort" });
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = DemoEducator }).First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Event type", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "All events" });
        await CheckAsync(page, "Audit log");

        _violations.Should().BeEmpty("axe-core reports no serious or critical violations; found:{0}{1}",
            Environment.NewLine, string.Join(Environment.NewLine, _violations));
    }

    [Fact]
    public async Task Deactivating_a_member_asks_for_confirmation_in_a_dialog_that_keeps_focus()
    {
        await using var newcomer = await web.NewVisitorAsync();
        var learner = new Learner(newcomer.Page);
        await learner.RegisterAsync();

        await using var admin = await web.NewVisitorAsync();
        var page = admin.Page;
        await Learner.SignInAsync(page, DemoAccounts.AdminEmail, DemoAccounts.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true }).ClickAsync();
        var deactivate = page.GetByRole(AriaRole.Button, new() { Name = $"Deactivate {learner.DisplayName}", Exact = true });

        await deactivate.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Deactivate {learner.DisplayName}?", Exact = true });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(deactivate).ToBeFocusedAsync();

        await deactivate.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "deactivated" })).ToHaveTextAsync(new Regex($"^{Regex.Escape(learner.DisplayName)} is deactivated"));
        await Expect(deactivate).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = learner.Email })).ToContainTextAsync("deactivated");
    }

    private static async Task OpenTabAsync(IPage page, string tab)
    {
        await page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
    }

    private async Task CheckAsync(IPage page, string tab)
    {
        await Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
        _violations.AddRange(await Accessibility.SeriousViolationsAsync(page, $"administration: {tab}"));
    }
}

using static Microsoft.Playwright.Assertions;

namespace PracticePlatform.WebTests;

/// <summary>Someone who uses only a keyboard: the first Tab reaches "Skip to main content", every stop shows a visible
/// focus ring, and signing in works with Tab, typing and Enter alone.</summary>
[Collection(WebAppCollection.Name)]
public sealed class KeyboardTests(WebPlatform web)
{
    private const int MaxTabs = 30;

    [Fact]
    public async Task A_keyboard_user_skips_to_the_content_and_signs_in_without_a_mouse_seeing_where_the_focus_is()
    {
        await using var visitor = await web.NewVisitorAsync();
        var page = visitor.Page;
        await page.GotoAsync("/login");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Tab");
        (await FocusedTextAsync(page)).Should().Be("Skip to main content");
        (await HasVisibleFocusAsync(page)).Should().BeTrue("the skip link shows where the focus is");
        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<bool>("() => document.activeElement?.closest('main') !== null")).Should().BeTrue(
            "the skip link moves the focus into the main content");

        await TabToFieldAsync(page, "Email");
        (await HasVisibleFocusAsync(page)).Should().BeTrue("a focused field shows its focus ring");
        await page.Keyboard.TypeAsync(DemoAccounts.EducatorEmail);
        await TabToFieldAsync(page, "Password");
        await page.Keyboard.TypeAsync(DemoAccounts.EducatorPassword);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scenarios", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Authoring", Exact = true })).ToBeVisibleAsync();
        await TabToAsync(page, "Review");
        (await HasVisibleFocusAsync(page)).Should().BeTrue("links in the header show their focus ring");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Review", Exact = true })).ToBeVisibleAsync();
    }

    private static Task<string> FocusedTextAsync(IPage page) =>
        page.EvaluateAsync<string>("() => (document.activeElement?.textContent ?? '').trim()");

    private static Task<bool> HasVisibleFocusAsync(IPage page) =>
        page.EvaluateAsync<bool>("""
            () => {
              const element = document.activeElement;
              if (!element || element === document.body) return false;
              const style = getComputedStyle(element);
              return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
            }
            """);

    private static async Task TabToFieldAsync(IPage page, string label)
    {
        for (var tab = 0; tab < MaxTabs; tab++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>(
                "() => (document.activeElement?.labels?.[0]?.textContent ?? document.activeElement?.getAttribute('aria-label') ?? '').trim()");
            if (focused == label)
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException($"Tab never reached the field \"{label}\" within {MaxTabs} presses.");
    }

    private static async Task TabToAsync(IPage page, string text)
    {
        for (var tab = 0; tab < MaxTabs; tab++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await FocusedTextAsync(page) == text)
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException($"Tab never reached \"{text}\" within {MaxTabs} presses.");
    }
}

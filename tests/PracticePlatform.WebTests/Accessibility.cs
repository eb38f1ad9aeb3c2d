using System.Text.Json;

namespace PracticePlatform.WebTests;

/// <summary>axe-core, from the app's own node_modules, run inside the page.</summary>
public static class Accessibility
{
    public sealed record Violation(string Screen, string Id, string Impact, string Help, IReadOnlyList<string> Targets)
    {
        public override string ToString() => $"{Screen}: {Impact} {Id} ({Help}) at {string.Join(", ", Targets)}";
    }

    public static string AxeScript => Path.Combine(WebPlatform.AppDirectory, "node_modules", "axe-core", "axe.min.js");

    /// <summary>The serious and critical WCAG 2.1 A/AA violations on the page as it is now.</summary>
    public static async Task<IReadOnlyList<Violation>> SeriousViolationsAsync(IPage page, string screen)
    {
        if (!File.Exists(AxeScript))
        {
            throw new InvalidOperationException($"{AxeScript} is missing: axe-core is a devDependency of the app (scripts/build-web.sh installs it).");
        }

        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript });
        var results = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const results = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
              return results.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) }));
            }
            """);
        return results.EnumerateArray()
            .Select(v => new Violation(
                screen,
                v.GetProperty("id").GetString()!,
                v.GetProperty("impact").GetString()!,
                v.GetProperty("help").GetString()!,
                v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList()))
            .ToList();
    }
}

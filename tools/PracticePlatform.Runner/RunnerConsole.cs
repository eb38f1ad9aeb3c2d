using PracticePlatform.NativeHosting;
using Spectre.Console;

namespace PracticePlatform.Runner;

/// <summary>Everything the runner prints: progress lines, service logs prefixed with the service's name, the table.</summary>
internal sealed class RunnerConsole(bool showServiceLogs)
{
    private static readonly string[] Colours = ["aqua", "green", "fuchsia", "yellow", "blue", "orange1", "lime"];
    private readonly Lock _gate = new();

    public void Heading(RunnerSettings settings)
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is not null)
        {
            // Written to a file or a pipe: plain text, and no terminal width to respect, so table rows stay on one line.
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
            AnsiConsole.Profile.Width = 200;
        }

        AnsiConsole.MarkupLine($"[bold]PracticePlatform[/] native runner: state in [blue]{Markup.Escape(settings.StateDirectory)}[/], build {settings.Configuration}");
        if (!showServiceLogs)
        {
            AnsiConsole.MarkupLine($"Service logs go to [blue]{Markup.Escape(Path.Combine(settings.StateDirectory, "logs"))}[/].");
        }
    }

    public void Progress(PlatformProgress progress)
    {
        var colour = progress.State switch
        {
            "healthy" or "ready" => "green",
            "stopped" => "grey",
            _ => "yellow",
        };
        Write($"[grey]{progress.Elapsed.TotalSeconds,6:F1}s[/] {Markup.Escape(progress.Resource),-9} [{colour}]{progress.State}[/] {Markup.Escape(progress.Detail)}");
    }

    public void ServiceLine(string service, string line)
    {
        var colour = Colours[Math.Abs(StringComparer.Ordinal.GetHashCode(service)) % Colours.Length];
        Write($"[{colour}]{service,-8}|[/] {Markup.Escape(line)}");
    }

    public void PrintTable(LocalPlatform platform, RunnerSettings settings)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]PracticePlatform is running[/]");
        table.AddColumn("Resource");
        table.AddColumn("URL");
        table.AddColumn("State");
        table.AddColumn("Details");
        table.AddRow(PlatformTopology.PostgresResource, $"127.0.0.1:{platform.Postgres.Port}", "[green]running[/]",
            Markup.Escape(string.Join(", ", platform.Services.Select(s => s.Resource.Database).OfType<string>())));
        table.AddRow(PlatformTopology.RedisResource, $"127.0.0.1:{platform.Redis.Port}", "[green]running[/]", "password auth");
        foreach (var service in platform.Services)
        {
            table.AddRow(service.Resource.Name, service.Url.ToString().TrimEnd('/'), "[green]healthy[/]",
                $"up in {service.StartupTime.TotalSeconds:F1} s" + (service.Resource.IsApi ? "" : ", the web app"));
        }

        lock (_gate)
        {
            AnsiConsole.Write(table);
            if (platform.Services.FirstOrDefault(s => s.Resource.Name == PlatformTopology.WebResource) is { } web)
            {
                AnsiConsole.MarkupLine($"Open the web app at [bold blue]{Markup.Escape(web.Url.ToString().TrimEnd('/'))}[/] " +
                    "(demo accounts in the README; learners register with join code DEMO-COHORT).");
            }

            AnsiConsole.MarkupLine($"Each service: [blue]/health[/], [blue]/alive[/], OpenAPI at [blue]/openapi/v1.json[/].");
            AnsiConsole.MarkupLine($"Logs: [blue]{Markup.Escape(platform.LogDirectory)}[/]/<service>.log; " +
                $"passwords: [blue]{Markup.Escape(Path.Combine(settings.StateDirectory, "credentials.json"))}[/]");
            AnsiConsole.MarkupLine("Press [bold]Ctrl-C[/] to stop everything.");
        }
    }

    public void Failure(string message) =>
        Write($"[red bold]error:[/] {Markup.Escape(message)}");

    public void Stopped() => Write("[grey]Everything the runner started has stopped.[/]");

    private void Write(string markup)
    {
        lock (_gate)
        {
            AnsiConsole.MarkupLine(markup);
        }
    }
}

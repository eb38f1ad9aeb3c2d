using System.Runtime.InteropServices;
using PracticePlatform.NativeHosting;
using PracticePlatform.Runner;
using Spectre.Console;

// The native runner behind ./run.sh: the whole platform on this machine, no containers.
var settings = RunnerSettings.Parse(args);
if (settings is null)
{
    RunnerSettings.PrintUsage();
    return 2;
}

using var stop = new CancellationTokenSource();
void RequestStop(PosixSignalContext context)
{
    context.Cancel = true;
    if (!stop.IsCancellationRequested)
    {
        AnsiConsole.MarkupLine($"[yellow]{context.Signal} received: stopping everything…[/]");
        stop.Cancel();
    }
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, RequestStop);

var console = new RunnerConsole(settings.ShowServiceLogs);
LocalPlatform? platform = null;
try
{
    console.Heading(settings);
    platform = await LocalPlatform.StartAsync(settings.ToPlatformOptions(console), stop.Token);
    console.PrintTable(platform, settings);

    var crashed = platform.Services.Select(s => WatchAsync(s, console, stop.Token)).ToList();
    await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    await Task.WhenAll(crashed);
    return 0;
}
catch (PlatformStartException ex)
{
    console.Failure(ex.Message);
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}
finally
{
    if (platform is not null)
    {
        await platform.DisposeAsync();
        console.Stopped();
    }
}

static async Task WatchAsync(RunningService service, RunnerConsole console, CancellationToken stopping)
{
    try
    {
        await service.Process.WaitForExitAsync(stopping);
        console.Failure(
            $"{service.Resource.Name} exited unexpectedly (exit code {service.Process.ExitCode}); the others keep running. " +
            $"Its log: {service.LogFile}{Environment.NewLine}{service.Process.Tail()}");
    }
    catch (OperationCanceledException)
    {
    }
}

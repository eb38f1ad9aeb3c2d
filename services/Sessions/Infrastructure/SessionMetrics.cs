using System.Diagnostics.Metrics;
using PracticePlatform.ServiceDefaults.Telemetry;
using PracticePlatform.Sessions.Model;

namespace PracticePlatform.Sessions.Infrastructure;

/// <summary>The sessions service's own metrics, on its "PracticePlatform.sessions" meter.</summary>
public sealed class SessionMetrics(ServiceInstrumentation instrumentation)
{
    private readonly Counter<long> _started = instrumentation.Meter.CreateCounter<long>(
        "practiceplatform.sessions.started", unit: "{session}", description: "Practice sessions started.");

    private readonly Counter<long> _completed = instrumentation.Meter.CreateCounter<long>(
        "practiceplatform.sessions.completed", unit: "{session}", description: "Practice sessions the learner ended.");

    private readonly Counter<long> _abandoned = instrumentation.Meter.CreateCounter<long>(
        "practiceplatform.sessions.abandoned", unit: "{session}", description: "Practice sessions abandoned after a period without activity.");

    public void Started(SessionMode mode) => _started.Add(1, new KeyValuePair<string, object?>("session.mode", ModeName(mode)));

    public void Completed() => _completed.Add(1);

    public void Abandoned(int count) => _abandoned.Add(count);

    private static string ModeName(SessionMode mode) => mode.ToString().ToLowerInvariant();
}

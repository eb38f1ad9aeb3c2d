using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PracticePlatform.ServiceDefaults.Telemetry;

/// <summary>
/// The service's own ActivitySource and Meter, named "PracticePlatform.&lt;service&gt;" so the telemetry set-up
/// (which subscribes to "PracticePlatform.*") exports them without further wiring.
/// </summary>
public sealed class ServiceInstrumentation : IDisposable
{
    public ServiceInstrumentation(OtlpSettings settings, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(meterFactory);
        Name = $"PracticePlatform.{settings.ServiceName}";
        ActivitySource = new ActivitySource(Name);
        Meter = meterFactory.Create(Name);
    }

    public string Name { get; }

    public ActivitySource ActivitySource { get; }

    public Meter Meter { get; }

    public void Dispose() => ActivitySource.Dispose();
}

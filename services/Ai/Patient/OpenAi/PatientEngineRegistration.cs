using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PracticePlatform.Ai.Patient;
using PracticePlatform.Ai.Patient.OpenAi;

namespace Microsoft.Extensions.Hosting;

public static class PatientEngineRegistration
{
    /// <summary>
    /// Registers the simulated patient (<see cref="IPatientEngine"/>): when <c>Ai:OpenAI:Endpoint</c> and
    /// <c>Ai:OpenAI:Model</c> are set, the OpenAI-compatible engine with the offline engine as its fallback
    /// (<see cref="FallbackPatientEngine"/>); otherwise the offline engine alone.
    /// </summary>
    public static IHostApplicationBuilder AddPatientEngine(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OpenAiPatientOptions>()
            .BindConfiguration(OpenAiPatientOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // "20" means seconds here, not the 20 days TimeSpan.Parse would make of it.
                var timeout = configuration[$"{OpenAiPatientOptions.SectionName}:Timeout"];
                if (double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    options.Timeout = TimeSpan.FromSeconds(seconds);
                }
            })
            .Validate(o => !o.IsConfigured || Uri.TryCreate(o.Endpoint, UriKind.Absolute, out _), $"{OpenAiPatientOptions.SectionName}:Endpoint is not an absolute URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.MaxOutputTokens > 0, $"{OpenAiPatientOptions.SectionName}:Timeout and MaxOutputTokens must be positive.")
            .ValidateOnStart();

        builder.Services.AddSingleton<OfflinePatientEngine>();
        builder.Services.AddSingleton<IPatientEngine>(services =>
        {
            var offline = services.GetRequiredService<OfflinePatientEngine>();
            var options = services.GetRequiredService<IOptions<OpenAiPatientOptions>>();
            return options.Value.IsConfigured
                ? new FallbackPatientEngine(
                    new OpenAiPatientEngine(options, offline, services.GetRequiredService<ILogger<OpenAiPatientEngine>>()),
                    offline,
                    services.GetRequiredService<ILogger<FallbackPatientEngine>>())
                : offline;
        });
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PracticePlatform.Realtime.LiveKit;

namespace Microsoft.Extensions.Hosting;

public static class LiveKitExtensions
{
    /// <summary>
    /// Everything the LiveKit endpoints need: <see cref="LiveKitOptions"/> from the "LiveKit" section (validated at
    /// start; all unset means voice and video are off), the token issuer, the webhook verifier and the typed HttpClient
    /// that reads sessions from the sessions service.
    /// </summary>
    public static IHostApplicationBuilder AddLiveKit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<LiveKitOptions>()
            .Bind(builder.Configuration.GetSection(LiveKitOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiveKitOptions>, LiveKitOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LiveKitTokenIssuer>();
        services.TryAddSingleton<LiveKitWebhookVerifier>();
        return builder;
    }
}

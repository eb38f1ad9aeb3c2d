using PracticePlatform.Ai.Feedback;
using PracticePlatform.Ai.Feedback.Offline;
using PracticePlatform.Ai.Feedback.OpenAi;
using PracticePlatform.Ai.Reports;

namespace Microsoft.Extensions.Hosting;

public static class FeedbackReportRegistration
{
    /// <summary>
    /// Registers the feedback pipeline: the engine (the OpenAI-compatible one, which falls back to the offline rules on
    /// any failure, when <c>Ai:OpenAI:Endpoint</c> and <c>Ai:OpenAI:Model</c> are set; otherwise the offline rules),
    /// the report agent and the worker that runs it (<c>Ai:Feedback</c>).
    /// </summary>
    public static IHostApplicationBuilder AddFeedbackReports(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AiPricing>()
            .Configure<IConfiguration>((pricing, configuration) =>
            {
                foreach (var model in configuration.GetSection(AiPricing.SectionName).GetChildren())
                {
                    pricing.Models[model.Key] = model.Get<ModelPrice>() ?? new ModelPrice();
                }
            });
        builder.Services.AddOptions<FeedbackOptions>()
            .BindConfiguration(FeedbackOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Only the endpoint, key and model are shared with the simulated patient: a report takes longer than a reply,
        // so its timeout is the feedback engine's own.
        var openAi = builder.Configuration.GetSection(OpenAiFeedbackOptions.SectionName);
        builder.Services.AddSingleton(new OpenAiFeedbackOptions
        {
            Endpoint = openAi["Endpoint"],
            ApiKey = openAi["ApiKey"],
            Model = openAi["Model"],
        });
        builder.Services.AddSingleton<OfflineFeedbackEngine>();
        builder.Services.AddSingleton<IFeedbackEngine>(services =>
        {
            var options = services.GetRequiredService<OpenAiFeedbackOptions>();
            var offline = services.GetRequiredService<OfflineFeedbackEngine>();
            return options.IsConfigured
                ? new OpenAiFeedbackEngine(options, offline, services.GetRequiredService<ILogger<OpenAiFeedbackEngine>>())
                : offline;
        });

        builder.Services.AddSingleton<FeedbackWorkSignal>();
        builder.Services.AddScoped<FeedbackReportAgent>();
        builder.Services.AddSingleton<FeedbackReportWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FeedbackReportWorker>());
        return builder;
    }
}

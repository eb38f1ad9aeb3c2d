using PracticePlatform.Ai.Infrastructure;
using PracticePlatform.Ai.IntegrationEvents.EventHandling;
using PracticePlatform.Ai.IntegrationEvents.Events;
using PracticePlatform.Ai.Patient;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AiDbContext>("aidb");
        builder.Services.AddMigration<AiDbContext>();
        builder.AddEventBus<AiDbContext>("redis")
            .AddSubscription<PracticeSessionCompleted, PracticeSessionCompletedHandler>()
            .AddSubscription<ScenarioPublished, ScenarioPublishedHandler>()
            .AddSubscription<TranscriptFinalized, TranscriptFinalizedHandler>();
        builder.Services.AddValidation();

        // The simulated patient: the offline engine unless an OpenAI-compatible endpoint is configured.
        builder.Services.AddMemoryCache(options => options.SizeLimit = 2_000);
        builder.Services.AddSingleton<PatientScenarioCache>();
        builder.AddPatientEngine();

        // Feedback reports: made by a worker from each completed session's transcript.
        builder.AddFeedbackReports();
    }
}

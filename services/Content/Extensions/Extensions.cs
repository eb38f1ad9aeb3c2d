using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticePlatform.Content.Infrastructure;
using PracticePlatform.Content.Infrastructure.Media;
using PracticePlatform.Content.IntegrationEvents.EventHandling;
using PracticePlatform.Content.IntegrationEvents.Events;
using PracticePlatform.EventBus;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ContentDbContext>("contentdb");
        builder.Services.AddMigration<ContentDbContext>(SeedLibraryLoader.LoadAsync);
        builder.AddEventBus<ContentDbContext>("redis")
            .AddSubscription<ScenarioPublished, ScenarioPublishedHandler>();
        builder.Services.AddValidation();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<SeedLibraryOptions>().BindConfiguration(SeedLibraryOptions.SectionName);
        builder.Services.AddOptions<CatalogueCacheOptions>().BindConfiguration(CatalogueCacheOptions.SectionName);
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.SectionName);
        builder.Services.AddSingleton<CatalogueCache>();
        builder.Services.AddSingleton<MediaStore>();
        builder.Services.AddScoped<ScenarioPublishing>();

        // Recommendations read the caller's progress from sessions, as the caller.
        builder.Services.AddHttpClient<ILearnerProgressSource, SessionsProgressClient>(http => http.BaseAddress = new Uri("https+http://sessions"));
    }
}

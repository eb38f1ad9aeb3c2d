using PracticePlatform.Content.Infrastructure;
using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ContentDbContext>("contentdb");
        builder.Services.AddMigration<ContentDbContext>(ContentDbSeed.SeedAsync);
        builder.AddEventBus<ContentDbContext>("redis");
        builder.Services.AddValidation();
    }
}

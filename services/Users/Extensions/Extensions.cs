using PracticePlatform.EventBus.EntityFrameworkCore;
using PracticePlatform.ServiceDefaults.Data;
using PracticePlatform.Users.Infrastructure;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<UsersDbContext>("usersdb");
        builder.Services.AddMigration<UsersDbContext>(UsersDbSeed.SeedAsync);
        builder.AddEventBus<UsersDbContext>("redis");
        builder.Services.AddValidation();
    }
}

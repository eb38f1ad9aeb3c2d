using System.Text.Json;
using System.Text.Json.Serialization;
using PracticePlatform.ServiceDefaults.Data;
using PracticePlatform.Sessions.Infrastructure;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<SessionsDbContext>("sessionsdb");
        builder.Services.AddMigration<SessionsDbContext>();
        builder.Services.AddValidation();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false)));

        builder.Services.AddSingleton<SessionMetrics>();
        builder.Services.AddHttpClient<ContentClient>(client => client.BaseAddress = new Uri("https+http://content"));
    }
}

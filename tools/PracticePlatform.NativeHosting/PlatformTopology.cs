namespace PracticePlatform.NativeHosting;

/// <summary>One ASP.NET Core service of the platform, as the AppHost and the native runner both start it.</summary>
/// <param name="Name">The resource name: what other services call it (<c>http://name</c>) and the AppHost names it.</param>
/// <param name="Project">The project file, relative to the repository root.</param>
/// <param name="Port">The local HTTP port (also the launch profile's).</param>
/// <param name="Database">The PostgreSQL database it owns; null for the web host, which keeps no state (nor uses Redis).</param>
/// <param name="References">The services it calls over HTTP (for the web host: those the browser calls).</param>
public sealed record ServiceResource(
    string Name,
    string Project,
    int Port,
    string? Database,
    IReadOnlyList<string> References)
{
    /// <summary>The assembly the project builds (the project file's name).</summary>
    public string AssemblyName => Path.GetFileNameWithoutExtension(Project);

    /// <summary>An API service: it owns a database and uses Redis. The web host is the one resource that is not.</summary>
    public bool IsApi => Database is not null;
}

/// <summary>
/// The platform's resources in one place. The native runner and the system tests start exactly this;
/// a test checks that PracticePlatform.AppHost declares the same resources, databases and references.
/// </summary>
public static class PlatformTopology
{
    public const string PostgresResource = "postgres";
    public const string RedisResource = "redis";

    /// <summary>Ports for the runner's PostgreSQL and Redis, away from the system defaults 5432 and 6379.</summary>
    public const int PostgresPort = 15432;
    public const int RedisPort = 16379;

    public static IReadOnlyList<ServiceResource> Services { get; } =
    [
        new("users", "services/Users/Users.Api.csproj", 5101, "usersdb", []),
        new("content", "services/Content/Content.Api.csproj", 5102, "contentdb", ["users", "sessions"]),
        new("sessions", "services/Sessions/Sessions.Api.csproj", 5103, "sessionsdb", ["users", "content", "realtime", "billing"]),
        new("realtime", "services/Realtime/Realtime.Api.csproj", 5104, "realtimedb", ["users", "sessions", "ai"]),
        new("ai", "services/Ai/Ai.Api.csproj", 5105, "aidb", ["users", "content"]),
        new("billing", "services/Billing/Billing.Api.csproj", 5106, "billingdb", ["users"]),

        // The single-page app's host: the browser calls every API, and every API allows the web's origin (CORS).
        new("web", "services/Web/Web.csproj", 5100, null, ["users", "content", "sessions", "realtime", "ai", "billing"]),
    ];

    public const string WebResource = "web";

    /// <summary>The API services, without the web host.</summary>
    public static IEnumerable<ServiceResource> ApiServices => Services.Where(s => s.IsApi);

    public static IEnumerable<string> Databases => ApiServices.Select(s => s.Database!);

    public static ServiceResource Service(string name) =>
        Services.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"No service named '{name}'.", nameof(name));
}

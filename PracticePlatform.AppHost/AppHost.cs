var builder = DistributedApplication.CreateBuilder(args);

// Lets `azd up` publish every project below as an Azure Container App.
builder.AddAzureContainerAppEnvironment("env");

var postgres = builder.AddPostgres("postgres")
    .WithDataVolume();

// One database per service: no service reads another's.
var usersDb = postgres.AddDatabase("usersdb");
var contentDb = postgres.AddDatabase("contentdb");
var sessionsDb = postgres.AddDatabase("sessionsdb");
var realtimeDb = postgres.AddDatabase("realtimedb");
var aiDb = postgres.AddDatabase("aidb");
var billingDb = postgres.AddDatabase("billingdb");

var redis = builder.AddRedis("redis");

// Encrypts the token-signing keys the users service keeps in its database. A secret parameter: `azd up` asks for
// it once and stores it; under F5 it comes from appsettings.Development.json (a development-only value).
var signingKeyEncryptionKey = builder.AddParameter("signing-key-encryption-key", secret: true);

// Voice and video practice: a LiveKit server (signalling on 7880, WebRTC over TCP on 7881) with the API key pair that
// sessions and realtime sign room tokens with. Under F5 the pair comes from appsettings.Development.json.
var liveKitApiKey = builder.AddParameter("livekit-api-key");
var liveKitApiSecret = builder.AddParameter("livekit-api-secret", secret: true);
var liveKit = builder.AddContainer("livekit", "livekit/livekit-server", "v1.9")
    .WithArgs("--bind", "0.0.0.0")
    .WithEnvironment("LIVEKIT_KEYS", ReferenceExpression.Create($"{liveKitApiKey}: {liveKitApiSecret}"))
    .WithHttpEndpoint(targetPort: 7880, name: "http")
    .WithEndpoint(targetPort: 7881, name: "rtc", scheme: "tcp");
var liveKitUrl = ReferenceExpression.Create($"ws://{liveKit.GetEndpoint("http").Property(EndpointProperty.HostAndPort)}");

// The web app calls every service from the browser (there is no gateway yet), so all of them get external
// endpoints and allow the web's origin (below). Every other service validates access tokens against the users
// service's JWKS, so it references users.
var users = builder.AddProject<Projects.Users_Api>("users")
    .WithReference(usersDb).WaitFor(usersDb)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Authentication__SigningKeyEncryptionKey", signingKeyEncryptionKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// Content keeps uploaded scenario images and audio in the folder Media__RootDirectory names (a temporary folder by
// default); a deployment that must keep them mounts a volume there.
var content = builder.AddProject<Projects.Content_Api>("content")
    .WithReference(contentDb).WaitFor(contentDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(users).WaitFor(users)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var billing = builder.AddProject<Projects.Billing_Api>("billing")
    .WithReference(billingDb).WaitFor(billingDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(users).WaitFor(users)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var ai = builder.AddProject<Projects.Ai_Api>("ai")
    .WithReference(aiDb).WaitFor(aiDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(users).WaitFor(users)
    .WithReference(content).WaitFor(content)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var sessions = builder.AddProject<Projects.Sessions_Api>("sessions")
    .WithReference(sessionsDb).WaitFor(sessionsDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(users).WaitFor(users)
    .WithReference(content).WaitFor(content)
    .WithReference(billing).WaitFor(billing)
    .WithEnvironment("LiveKit__Url", liveKitUrl)
    .WithEnvironment("LiveKit__ApiKey", liveKitApiKey)
    .WithEnvironment("LiveKit__ApiSecret", liveKitApiSecret)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var realtime = builder.AddProject<Projects.Realtime_Api>("realtime")
    .WithReference(realtimeDb).WaitFor(realtimeDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(users).WaitFor(users)
    .WithReference(sessions).WaitFor(sessions)
    .WithReference(ai).WaitFor(ai)
    .WithEnvironment("LiveKit__Url", liveKitUrl)
    .WithEnvironment("LiveKit__ApiKey", liveKitApiKey)
    .WithEnvironment("LiveKit__ApiSecret", liveKitApiSecret)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// LiveKit tells realtime who joined and left its rooms, signing each webhook with the same key pair.
liveKit.WithEnvironment("LIVEKIT_CONFIG", ReferenceExpression.Create(
    $"webhook:\n  api_key: {liveKitApiKey}\n  urls:\n    - {realtime.GetEndpoint("http")}/v1/realtime/livekit/webhook\n"));

// sessions and realtime call each other, as do content (recommendations read a learner's progress) and sessions.
// Aspire does not detect wait cycles (each would wait for the other forever), so in each pair one side waits and the
// other only learns the address: realtime waits for sessions, sessions waits for content.
sessions.WithReference(realtime);
content.WithReference(sessions);

// The web app: the React single-page app's host. It hands the browser the services' addresses (GET /config.json,
// from the services__* references below) and waits for them, so the app opens on a working platform. The browser then
// calls each service directly, so every service allows the web's origin (CORS).
var web = builder.AddProject<Projects.Web>("web")
    .WithReference(users).WaitFor(users)
    .WithReference(content).WaitFor(content)
    .WithReference(sessions).WaitFor(sessions)
    .WithReference(realtime).WaitFor(realtime)
    .WithReference(ai).WaitFor(ai)
    .WithReference(billing).WaitFor(billing)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

users.WithEnvironment("Cors__AllowedOrigins", web.GetEndpoint("http"));
content.WithEnvironment("Cors__AllowedOrigins", web.GetEndpoint("http"));
sessions.WithEnvironment("Cors__AllowedOrigins", web.GetEndpoint("http"));
realtime.WithEnvironment("Cors__AllowedOrigins", web.GetEndpoint("http"));
ai.WithEnvironment("Cors__AllowedOrigins", web.GetEndpoint("http"));
billing.WithEnvironment("Cors__AllowedOrigins", web.GetEndpoint("http"));

builder.Build().Run();

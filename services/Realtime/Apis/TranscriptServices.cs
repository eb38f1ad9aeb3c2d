using Microsoft.AspNetCore.Mvc;
using PracticePlatform.Realtime.Infrastructure;

namespace PracticePlatform.Realtime.Apis;

/// <summary>What reading a transcript needs besides the request.</summary>
/// <remarks>[FromServices] also keeps the request validator out of these objects: without it, validation walks
/// into the DbContext's object graph and fails.</remarks>
public sealed record TranscriptServices(
    [FromServices] RealtimeDbContext Db,
    [FromServices] SessionsClient Sessions,
    [FromServices] ILogger<TranscriptServices> Logger);

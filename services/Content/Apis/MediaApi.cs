using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PracticePlatform.Content.Infrastructure.Media;
using PracticePlatform.Content.Model;
using PracticePlatform.ServiceDefaults.Authentication;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Images and audio attached to a scenario or its persona: authors upload them (the type read from the bytes, the
/// size capped, the name never used as a path), everyone who may read the scenario streams them, with range
/// requests so audio can seek.
/// </summary>
public static class MediaApi
{
    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/content").WithTags("Media").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/scenarios/{id:guid}/media", Upload)
            .WithName("UploadScenarioMedia")
            .WithSummary("Attach an image (PNG, JPEG, WebP up to 5 MB) or audio (MP3, WAV, Ogg, M4A up to 25 MB) to a scenario or its persona: multipart/form-data with file, attachedTo (scenario or persona) and description.")
            .RequireAuthorization(PlatformPolicies.Educator)
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/scenarios/{id:guid}/media", List)
            .WithName("ListScenarioMedia")
            .WithSummary("The media attached to a scenario.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/media/{mediaId:guid}", Stream)
            .WithName("GetMedia")
            .WithSummary("The file itself; supports Range requests and If-None-Match.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        api.MapDelete("/media/{mediaId:guid}", Delete)
            .WithName("DeleteMedia")
            .WithSummary("Remove a media file from its scenario.")
            .RequireAuthorization(PlatformPolicies.Educator)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<MediaView>, ValidationProblem, ProblemHttpResult>> Upload(
        Guid id,
        HttpContext http,
        [AsParameters] ContentServices services,
        [FromServices] MediaStore store,
        [FromServices] IOptions<MediaOptions> options,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var user = services.User;
        var scenario = await db.Scenarios.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.InstitutionId, s.LatestVersion }).SingleOrDefaultAsync(cancellationToken);
        if (scenario is null || !user.CanRead(scenario.InstitutionId) || (scenario.LatestVersion == 0 && !user.CanAuthor(scenario.InstitutionId)))
        {
            return TypedResults.Problem($"No scenario has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        if (!user.CanAuthor(scenario.InstitutionId))
        {
            return TypedResults.Problem("Only the scenario's authors attach media to it.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem("Upload the file as multipart/form-data (fields: file, attachedTo, description).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        // Past the largest allowed file plus the form's own overhead, the server stops reading the body at all.
        var largest = Math.Max(options.Value.MaxAudioBytes, options.Value.MaxImageBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = largest + (64 * 1024);
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return TypedResults.Problem(
                $"The upload could not be read: it is larger than {largest / (1024 * 1024)} MB or not a valid form.",
                statusCode: ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
        }

        var errors = new Dictionary<string, string[]>();
        var files = form.Files.GetFiles("file");
        if (files.Count != 1)
        {
            errors["file"] = ["Send exactly one file, in the form field 'file'."];
        }

        var attachedTo = MediaAttachment.Scenario;
        var attachment = form["attachedTo"].ToString();
        if (attachment.Length > 0 && (int.TryParse(attachment, out _) || !Enum.TryParse(attachment, ignoreCase: true, out attachedTo) || !Enum.IsDefined(attachedTo)))
        {
            errors["attachedTo"] = ["attachedTo is scenario or persona."];
        }

        var description = form["description"].ToString().Trim();
        if (description.Length > 300)
        {
            errors["description"] = ["The description is at most 300 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var file = files[0];
        await using var content = file.OpenReadStream();
        var (stored, rejection) = await store.SaveAsync(content, file.FileName, string.IsNullOrEmpty(file.ContentType) ? null : file.ContentType, cancellationToken);
        if (stored is null)
        {
            var tooLarge = rejection!.Reason.Contains("larger than", StringComparison.Ordinal);
            return tooLarge
                ? TypedResults.Problem(rejection.Reason, statusCode: StatusCodes.Status413PayloadTooLarge)
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [rejection.Field] = [rejection.Reason] });
        }

        var media = new MediaFile
        {
            Id = stored.Id,
            ScenarioId = id,
            InstitutionId = scenario.InstitutionId,
            AttachedTo = attachedTo,
            Kind = stored.Kind,
            ContentType = stored.ContentType,
            Length = stored.Length,
            Sha256 = stored.Sha256,
            OriginalName = stored.OriginalName,
            Description = description.Length == 0 ? null : description,
            StoragePath = stored.StoragePath,
            UploadedBy = user.Id,
            UploadedAt = services.Time.GetUtcNow(),
        };
        db.MediaFiles.Add(media);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            store.Delete(stored.StoragePath);
            throw;
        }

        await services.Cache.InvalidateAsync(cancellationToken);
        var view = MediaView.From(media);
        return TypedResults.Created(view.Url, view);
    }

    public static async Task<Results<Ok<List<MediaView>>, ProblemHttpResult>> List(
        Guid id, [AsParameters] ContentServices services, CancellationToken cancellationToken)
    {
        var scenario = await services.Db.Scenarios.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.InstitutionId, s.LatestVersion }).SingleOrDefaultAsync(cancellationToken);
        if (scenario is null || !MayRead(services.User, scenario.InstitutionId, scenario.LatestVersion))
        {
            return TypedResults.Problem($"No scenario has the id '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var media = await services.Db.MediaFiles.AsNoTracking().Where(m => m.ScenarioId == id).OrderBy(m => m.UploadedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(media.Select(MediaView.From).ToList());
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Stream(
        Guid mediaId, HttpContext http, [AsParameters] ContentServices services, [FromServices] MediaStore store, CancellationToken cancellationToken)
    {
        var found = await FindReadableAsync(services, mediaId, cancellationToken);
        if (found is null)
        {
            return MediaNotFound(mediaId);
        }

        var path = store.FullPathOf(found.StoragePath);
        if (!File.Exists(path))
        {
            return TypedResults.Problem($"The file of media '{mediaId}' is missing from the media volume.", statusCode: StatusCodes.Status404NotFound);
        }

        http.Response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.PhysicalFile(
            path,
            found.ContentType,
            fileDownloadName: null,
            lastModified: found.UploadedAt,
            entityTag: new EntityTagHeaderValue($"\"{found.Sha256}\""),
            enableRangeProcessing: true);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid mediaId, [AsParameters] ContentServices services, [FromServices] MediaStore store, CancellationToken cancellationToken)
    {
        var found = await FindReadableAsync(services, mediaId, cancellationToken);
        if (found is null)
        {
            return MediaNotFound(mediaId);
        }

        if (!services.User.CanAuthor(found.InstitutionId))
        {
            return TypedResults.Problem("Only the scenario's authors remove its media.", statusCode: StatusCodes.Status403Forbidden);
        }

        await services.Db.MediaFiles.Where(m => m.Id == mediaId).ExecuteDeleteAsync(cancellationToken);
        store.Delete(found.StoragePath);
        await services.Cache.InvalidateAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<MediaFile?> FindReadableAsync(ContentServices services, Guid mediaId, CancellationToken cancellationToken)
    {
        var row = await services.Db.MediaFiles.AsNoTracking()
            .Where(m => m.Id == mediaId)
            .Join(services.Db.Scenarios, m => m.ScenarioId, s => s.Id, (m, s) => new { Media = m, s.LatestVersion })
            .SingleOrDefaultAsync(cancellationToken);
        return row is not null && MayRead(services.User, row.Media.InstitutionId, row.LatestVersion) ? row.Media : null;
    }

    /// <summary>A published scenario's media: whoever reads the scenario; an unpublished one's: its authors.</summary>
    private static bool MayRead(ICurrentUser user, Guid? institutionId, int latestVersion) =>
        latestVersion > 0 ? user.CanRead(institutionId) : user.CanAuthor(institutionId);

    private static ProblemHttpResult MediaNotFound(Guid mediaId) =>
        TypedResults.Problem($"No media file has the id '{mediaId}'.", statusCode: StatusCodes.Status404NotFound);
}

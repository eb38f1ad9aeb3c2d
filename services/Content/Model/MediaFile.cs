using PracticePlatform.Content.Infrastructure.Media;

namespace PracticePlatform.Content.Model;

/// <summary>What a media file illustrates: the scenario (an ECG, a leaflet) or the persona (a portrait, a voice).</summary>
public enum MediaAttachment
{
    Scenario,
    Persona,
}

/// <summary>An uploaded image or audio file of a scenario: metadata here, bytes on the media volume.</summary>
public sealed class MediaFile
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required Guid ScenarioId { get; init; }

    /// <summary>The scenario's owner, copied so every query can be scoped by tenant.</summary>
    public Guid? InstitutionId { get; init; }

    public MediaAttachment AttachedTo { get; init; }

    public MediaKind Kind { get; init; }

    public required string ContentType { get; init; }

    public long Length { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>The uploader's file name, kept for display only; never part of a path.</summary>
    public required string OriginalName { get; init; }

    public string? Description { get; init; }

    /// <summary>Relative to the media root, chosen by the store.</summary>
    public required string StoragePath { get; init; }

    public Guid? UploadedBy { get; init; }

    public DateTimeOffset UploadedAt { get; init; } = DateTimeOffset.UtcNow;
}

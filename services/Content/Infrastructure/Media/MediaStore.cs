using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PracticePlatform.Content.Infrastructure.Media;

public enum MediaKind
{
    Image,
    Audio,
}

/// <summary>The "Media" section: where files live (a volume; ./run.sh uses .data/media) and how big they may be.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    public string RootDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "practiceplatform-media");

    public long MaxImageBytes { get; set; } = 5 * 1024 * 1024;

    public long MaxAudioBytes { get; set; } = 25 * 1024 * 1024;
}

/// <summary>A stored file: where it is (a name the store chose), what it is and its SHA-256.</summary>
public sealed record StoredMedia(Guid Id, string StoragePath, MediaKind Kind, string ContentType, long Length, string Sha256, string OriginalName);

/// <summary>Why a file was not stored, in words for the uploader.</summary>
public sealed record MediaRejection(string Field, string Reason);

/// <summary>
/// Stores uploaded images and audio on a volume. The file's type is read from its first bytes (never trusted from the
/// name or the declared type, which must agree with it); its size is counted while it streams in, so an oversized
/// upload stops at the limit; and it is stored under a name the store makes up, so no part of the uploader's file name
/// ever reaches a path. The original name is kept only as metadata, and only if it is a plain file name.
/// </summary>
public sealed class MediaStore(IOptions<MediaOptions> options)
{
    private static readonly (string ContentType, MediaKind Kind, string Extension, byte?[] Signature, int Offset)[] Formats =
    [
        ("image/png", MediaKind.Image, ".png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 0),
        ("image/jpeg", MediaKind.Image, ".jpg", [0xFF, 0xD8, 0xFF], 0),
        ("image/webp", MediaKind.Image, ".webp", [(byte)'R', (byte)'I', (byte)'F', (byte)'F', null, null, null, null, (byte)'W', (byte)'E', (byte)'B', (byte)'P'], 0),
        ("audio/wav", MediaKind.Audio, ".wav", [(byte)'R', (byte)'I', (byte)'F', (byte)'F', null, null, null, null, (byte)'W', (byte)'A', (byte)'V', (byte)'E'], 0),
        ("audio/ogg", MediaKind.Audio, ".ogg", [(byte)'O', (byte)'g', (byte)'g', (byte)'S'], 0),
        ("audio/mpeg", MediaKind.Audio, ".mp3", [(byte)'I', (byte)'D', (byte)'3'], 0),
        ("audio/mpeg", MediaKind.Audio, ".mp3", [0xFF, 0xFB], 0),
        ("audio/mp4", MediaKind.Audio, ".m4a", [(byte)'f', (byte)'t', (byte)'y', (byte)'p'], 4),
    ];

    private const int SniffLength = 16;

    private MediaOptions Options => options.Value;

    public async Task<(StoredMedia? Stored, MediaRejection? Rejection)> SaveAsync(
        Stream content, string fileName, string? declaredContentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!IsPlainFileName(fileName))
        {
            return (null, new MediaRejection("file", "The file name must be a plain name: no folders, no '..', no control characters, at most 200 characters."));
        }

        var header = new byte[SniffLength];
        var headerLength = await content.ReadAtLeastAsync(header, SniffLength, throwOnEndOfStream: false, cancellationToken);
        var format = Formats.FirstOrDefault(f => Matches(header.AsSpan(0, headerLength), f.Signature, f.Offset));
        if (format.ContentType is null)
        {
            return (null, new MediaRejection("file", "Only PNG, JPEG or WebP images and MP3, WAV, Ogg or M4A audio can be uploaded."));
        }

        if (declaredContentType is not null && !string.Equals(NormaliseContentType(declaredContentType), format.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, new MediaRejection("file", $"The file is {format.ContentType}, but was sent as {declaredContentType}."));
        }

        var limit = format.Kind == MediaKind.Image ? Options.MaxImageBytes : Options.MaxAudioBytes;
        var id = Guid.CreateVersion7();
        var relative = Path.Combine(DateTime.UtcNow.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture), $"{id:N}{format.Extension}");
        var target = Path.Combine(Options.RootDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        try
        {
            await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await WriteAsync(output, hash, header.AsMemory(0, headerLength), cancellationToken);
                length = headerLength;
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > limit)
                    {
                        break;
                    }

                    await WriteAsync(output, hash, buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (length > limit)
            {
                File.Delete(partial);
                return (null, new MediaRejection("file", $"The {format.Kind.ToString().ToLowerInvariant()} is larger than {limit / (1024 * 1024)} MB."));
            }

            File.Move(partial, target);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        return (new StoredMedia(id, relative, format.Kind, format.ContentType, length, Convert.ToHexStringLower(hash.GetHashAndReset()), fileName), null);
    }

    /// <summary>The full path of a stored file, refusing anything that would leave the media root.</summary>
    public string FullPathOf(string storagePath)
    {
        var full = Path.GetFullPath(Path.Combine(Options.RootDirectory, storagePath));
        var root = Path.GetFullPath(Options.RootDirectory) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal)
            ? full
            : throw new InvalidOperationException($"'{storagePath}' is outside the media root.");
    }

    /// <summary>Opens a stored file for reading (the caller streams it with range support).</summary>
    public FileStream OpenRead(string storagePath) =>
        new(FullPathOf(storagePath), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    /// <summary>Removes a stored file; a file already gone is fine.</summary>
    public void Delete(string storagePath) => File.Delete(FullPathOf(storagePath));

    public static bool IsPlainFileName(string? fileName) =>
        !string.IsNullOrWhiteSpace(fileName) && fileName.Length <= 200 && fileName.Trim() == fileName &&
        fileName.IndexOfAny(['/', '\\', ':']) < 0 && !fileName.Contains("..", StringComparison.Ordinal) &&
        !fileName.Any(char.IsControl) && fileName != "." && Path.GetFileName(fileName) == fileName;

    private static async Task WriteAsync(FileStream output, IncrementalHash hash, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        hash.AppendData(bytes.Span);
        await output.WriteAsync(bytes, cancellationToken);
    }

    private static bool Matches(ReadOnlySpan<byte> header, byte?[] signature, int offset)
    {
        if (header.Length < offset + signature.Length)
        {
            return false;
        }

        for (var i = 0; i < signature.Length; i++)
        {
            if (signature[i] is { } expected && header[offset + i] != expected)
            {
                return false;
            }
        }

        return true;
    }

    private static string NormaliseContentType(string contentType) =>
        contentType.Split(';')[0].Trim() switch
        {
            "image/jpg" => "image/jpeg",
            "audio/mp3" => "audio/mpeg",
            "audio/x-wav" or "audio/wave" => "audio/wav",
            "audio/x-m4a" => "audio/mp4",
            var other => other,
        };
}

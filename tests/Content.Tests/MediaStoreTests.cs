using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PracticePlatform.Content.Infrastructure.Media;
using PracticePlatform.Testing;

namespace PracticePlatform.Content.Tests;

/// <summary>The media store against a real folder: type sniffing, size limits, and file names that try to escape.</summary>
public sealed class MediaStoreTests : IDisposable
{
    private static readonly byte[] PngHeader = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string _root = TestDirectories.Create("media");
    private readonly MediaStore _store;

    public MediaStoreTests() =>
        _store = new MediaStore(Options.Create(new MediaOptions { RootDirectory = _root, MaxImageBytes = 4096, MaxAudioBytes = 8192 }));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static byte[] Png(int length) => [.. PngHeader, .. RandomNumberGenerator.GetBytes(length - PngHeader.Length)];

    private static byte[] Wav(int length) =>
        [.. "RIFF"u8.ToArray(), 0, 0, 0, 0, .. "WAVEfmt "u8.ToArray(), .. new byte[length - 16]];

    private string[] StoredFiles() => Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).ToArray();

    [Fact]
    public async Task An_image_is_stored_under_a_name_of_the_stores_own_with_its_type_size_and_hash()
    {
        var bytes = Png(3000);

        var (stored, rejection) = await _store.SaveAsync(new MemoryStream(bytes), "chest x-ray (AP).png", "image/png", CancellationToken.None);

        rejection.Should().BeNull();
        stored!.ContentType.Should().Be("image/png");
        stored.Kind.Should().Be(MediaKind.Image);
        stored.Length.Should().Be(3000);
        stored.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        stored.OriginalName.Should().Be("chest x-ray (AP).png");
        stored.StoragePath.Should().NotContain("chest").And.EndWith(".png");
        await using var read = _store.OpenRead(stored.StoragePath);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        copy.ToArray().Should().Equal(bytes);
        StoredFiles().Should().ContainSingle();
    }

    [Fact]
    public async Task Audio_is_recognised_by_its_bytes()
    {
        var (stored, rejection) = await _store.SaveAsync(new MemoryStream(Wav(6000)), "patient-voice.wav", "audio/x-wav", CancellationToken.None);

        rejection.Should().BeNull();
        stored!.ContentType.Should().Be("audio/wav");
        stored.Kind.Should().Be(MediaKind.Audio);
    }

    [Theory]
    [InlineData("notes.png", "image/png")]
    [InlineData("script.mp3", null)]
    public async Task A_file_that_is_not_a_supported_image_or_audio_is_refused_whatever_its_name(string name, string? declared)
    {
        var (stored, rejection) = await _store.SaveAsync(new MemoryStream("<script>alert(1)</script> not an image"u8.ToArray()), name, declared, CancellationToken.None);

        stored.Should().BeNull();
        rejection!.Reason.Should().Contain("Only PNG, JPEG or WebP images");
        StoredFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task A_file_sent_as_another_type_than_it_is_is_refused()
    {
        var (stored, rejection) = await _store.SaveAsync(new MemoryStream(Png(100)), "image.png", "audio/mpeg", CancellationToken.None);

        stored.Should().BeNull();
        rejection!.Reason.Should().Contain("image/png").And.Contain("audio/mpeg");
    }

    [Fact]
    public async Task An_oversized_file_is_refused_and_leaves_nothing_behind()
    {
        var (stored, rejection) = await _store.SaveAsync(new MemoryStream(Png(5000)), "big.png", "image/png", CancellationToken.None);

        stored.Should().BeNull();
        rejection!.Reason.Should().Contain("larger than");
        StoredFiles().Should().BeEmpty("the partial file is deleted");
    }

    [Theory]
    [InlineData("../../etc/passwd.png")]
    [InlineData("..\\..\\windows\\win.png")]
    [InlineData("scans/ct.png")]
    [InlineData("/absolute.png")]
    [InlineData("evil\0.png")]
    [InlineData("..")]
    [InlineData(" padded.png")]
    [InlineData("C:report.png")]
    public async Task File_names_that_are_not_plain_names_are_refused_and_nothing_is_written(string name)
    {
        var (stored, rejection) = await _store.SaveAsync(new MemoryStream(Png(100)), name, "image/png", CancellationToken.None);

        stored.Should().BeNull();
        rejection!.Reason.Should().Contain("plain name");
        StoredFiles().Should().BeEmpty();
        Directory.EnumerateFiles(Path.GetDirectoryName(_root)!, "passwd.png", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public void Reading_outside_the_media_root_is_refused()
    {
        var read = () => _store.OpenRead("../outside.png");

        read.Should().Throw<InvalidOperationException>().WithMessage("*outside the media root*");
    }
}

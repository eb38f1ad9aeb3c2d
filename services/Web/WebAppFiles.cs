using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace PracticePlatform.Web;

/// <summary>
/// The built app's files. The folder may not exist when the host starts (the app not built yet) and is emptied and
/// written again by every build, so it is looked up when a file is asked for rather than once at start.
/// </summary>
public sealed class WebAppFiles(string rootDirectory) : IFileProvider, IDisposable
{
    private readonly Lock _gate = new();
    private PhysicalFileProvider? _files;

    public string RootDirectory { get; } = rootDirectory;

    public IFileInfo Index => GetFileInfo("index.html");

    public bool IsBuilt => Index.Exists;

    public IFileInfo GetFileInfo(string subpath) =>
        Files?.GetFileInfo(subpath) ?? new NotFoundFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) =>
        Files?.GetDirectoryContents(subpath) ?? NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    public void Dispose() => _files?.Dispose();

    private PhysicalFileProvider? Files
    {
        get
        {
            if (_files is not null || !Directory.Exists(RootDirectory))
            {
                return _files;
            }

            lock (_gate)
            {
                return _files ??= new PhysicalFileProvider(RootDirectory);
            }
        }
    }
}

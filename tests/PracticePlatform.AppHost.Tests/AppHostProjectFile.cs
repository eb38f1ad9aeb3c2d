using System.Xml.Linq;

namespace PracticePlatform.AppHost.Tests;

/// <summary>PracticePlatform.AppHost.csproj, read as XML.</summary>
internal sealed class AppHostProjectFile
{
    private readonly XDocument _document;
    private readonly string _directory;

    private AppHostProjectFile(XDocument document, string directory)
    {
        _document = document;
        _directory = directory;
    }

    public static AppHostProjectFile Load(string path) =>
        new(XDocument.Load(path), Path.GetDirectoryName(path)!);

    public string? Sdk => _document.Root?.Attribute("Sdk")?.Value;

    /// <summary>Full paths of the referenced projects.</summary>
    public IEnumerable<string> ProjectReferences =>
        Items("ProjectReference").Select(item => Path.GetFullPath(Path.Combine(_directory, Include(item).Replace('\\', '/'))));

    public IEnumerable<XElement> PackageReferences => Items("PackageReference");

    public static string Include(XElement item) => item.Attribute("Include")?.Value ?? "";

    private IEnumerable<XElement> Items(string itemType) =>
        _document.Descendants().Where(element => element.Name.LocalName == itemType);
}

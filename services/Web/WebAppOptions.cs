using System.ComponentModel.DataAnnotations;

namespace PracticePlatform.Web;

/// <summary>Where the built single-page app is, bound from the <c>Web</c> section.</summary>
public sealed class WebAppOptions
{
    public const string SectionName = "Web";

    /// <summary>The Vite build output (<c>npm run build</c> in app/), absolute or relative to the content root.</summary>
    [Required]
    public string RootDirectory { get; set; } = "app/dist";
}

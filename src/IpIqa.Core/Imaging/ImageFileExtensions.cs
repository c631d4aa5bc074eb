namespace IpIqa.Core.Imaging;

/// <summary>The file extensions a folder of images is listed by (<c>ipiqa score</c>, <c>rescore --folder</c>, <c>bench preprocess</c>); anything else there (prompts, manifests) is not an image.</summary>
public static class ImageFileExtensions
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff",
    };

    /// <summary>True when <paramref name="path"/> ends in an image extension.</summary>
    public static bool IsImage(string path) => All.Contains(Path.GetExtension(path));
}

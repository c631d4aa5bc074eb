using System.Security.Cryptography;
using System.Text;

namespace IpIqa.Training.Quantization;

/// <summary>
/// The images int8 calibration runs over: every image file of a folder (not recursive), or the images a
/// manifest lists (a text file, one path per line relative to the manifest's folder; blank lines and
/// lines starting with <c>#</c> are skipped). Ordered by name, so the same set gives the same scales and
/// the same <see cref="Sha256"/>: the SHA-256 of each image's name and content hash, one line each.
/// </summary>
public sealed record CalibrationSet(IReadOnlyList<string> ImagePaths, string Sha256)
{
    /// <summary>File extensions taken from a folder (the formats the serving decoder reads).</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif" };

    /// <exception cref="InvalidDataException">The path does not exist, holds no images, or a listed image is missing.</exception>
    public static CalibrationSet Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string[] images;
        if (Directory.Exists(path))
        {
            images = Directory.EnumerateFiles(path)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }
        else if (File.Exists(path))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            images = File.ReadLines(path)
                .Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => Path.GetFullPath(l, folder))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (images.FirstOrDefault(i => !File.Exists(i)) is { } missing)
            {
                throw new InvalidDataException($"Calibration manifest {path} lists '{missing}', which does not exist.");
            }
        }
        else
        {
            throw new InvalidDataException($"Calibration set '{path}' is neither a folder nor a manifest file.");
        }

        if (images.Length == 0)
        {
            throw new InvalidDataException(
                $"Calibration set '{path}' holds no images ({string.Join(", ", ImageExtensions.Order(StringComparer.Ordinal))}); int8 needs representative images to set its activation scales.");
        }

        var lines = new StringBuilder();
        foreach (var image in images)
        {
            using var stream = File.OpenRead(image);
            lines.Append(Path.GetFileName(image)).Append(' ').Append(Convert.ToHexStringLower(SHA256.HashData(stream))).Append('\n');
        }

        return new CalibrationSet(images, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString()))));
    }
}

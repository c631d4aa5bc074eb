using IpIqa.Core.Jobs;
using IpIqa.Core.Errors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace IpIqa.Rescoring;

/// <summary>Thumbnails (at most 160 px, JPEG, base64) of the <c>count</c> scored images with the lowest quality.</summary>
internal static class ReportThumbnails
{
    public const int MaxSide = 160;

    /// <summary>Thumbnails of <paramref name="worst"/> (as <see cref="WorstRecords"/> keeps them), read from their files or the source.</summary>
    public static async Task<IReadOnlyList<ReportThumbnail>> CreateAsync(IRescoreSource source, IReadOnlyList<RescoreRecord> worst, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worst);
        var thumbnails = new List<ReportThumbnail>();
        foreach (var record in worst)
        {
            string? jpeg = null;
            try
            {
                var item = new RescoreItem(record.Key, record.Location, record.Size, record.Version, record.Prompt)
                {
                    LocalPath = File.Exists(record.Location) ? record.Location : null,
                };
                var bytes = item.LocalPath is { } path ? await ImageFiles.ReadAsync(path, item.Key, maxBytes, cancellationToken).ConfigureAwait(false) : await source.ReadAsync(item, maxBytes, cancellationToken).ConfigureAwait(false);
                jpeg = Thumbnail(bytes);
            }
            catch (Exception ex) when (ex is IpIqaException or IOException or ImageFormatException or UnknownImageFormatException or InvalidImageContentException)
            {
                // The report shows the item without a picture.
            }

            thumbnails.Add(new ReportThumbnail(record.Key, record.Prompt, record.Quality!.Value, record.Alignment ?? double.NaN, jpeg));
        }

        return thumbnails;
    }

    /// <summary>The <paramref name="count"/> scored records of lowest quality (ties by key), lowest first, in one pass that holds at most <paramref name="count"/> of them.</summary>
    public static IReadOnlyList<RescoreRecord> Worst(IEnumerable<RescoreRecord> records, int count)
    {
        ArgumentNullException.ThrowIfNull(records);
        var worst = new WorstRecords(count);
        foreach (var record in records)
        {
            worst.Add(record);
        }

        return worst.Lowest();
    }

    public static string Thumbnail(byte[] encoded)
    {
        using var image = Image.Load(encoded);
        image.Mutate(x => x.Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(MaxSide, MaxSide) }));
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        return Convert.ToBase64String(buffer.ToArray());
    }
}

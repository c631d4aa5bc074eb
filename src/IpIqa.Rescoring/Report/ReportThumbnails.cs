using IpIqa.Core.Jobs;
using IpIqa.Core.Errors;
using IpIqa.Imaging;
using SixLabors.ImageSharp;

namespace IpIqa.Rescoring;

/// <summary>Thumbnails (at most 160 px, JPEG, base64) of the <c>count</c> scored images with the lowest quality.</summary>
internal static class ReportThumbnails
{
    public const int MaxSide = 160;

    public static async Task<IReadOnlyList<ReportThumbnail>> CreateAsync(IRescoreSource source, IEnumerable<RescoreRecord> records, int count, long maxBytes, CancellationToken cancellationToken)
    {
        var worst = Worst(records, count);
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

    /// <summary>
    /// The <paramref name="count"/> scored records of lowest quality (ties by key), lowest first, in one
    /// pass that holds at most <paramref name="count"/> of them: a max-heap whose top is the best kept.
    /// </summary>
    public static IReadOnlyList<RescoreRecord> Worst(IEnumerable<RescoreRecord> records, int count)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (count <= 0)
        {
            return [];
        }

        var kept = new PriorityQueue<RescoreRecord, RescoreRecord>(count + 1, Comparer<RescoreRecord>.Create(static (x, y) => Compare(y, x)));
        foreach (var record in records)
        {
            if (record.Quality is null)
            {
                continue;
            }

            if (kept.Count < count)
            {
                kept.Enqueue(record, record);
            }
            else if (Compare(record, kept.Peek()) < 0)
            {
                kept.DequeueEnqueue(record, record);
            }
        }

        var worst = new RescoreRecord[kept.Count];
        for (var i = worst.Length - 1; i >= 0; i--)
        {
            worst[i] = kept.Dequeue();
        }

        return worst;
    }

    public static string Thumbnail(byte[] encoded)
    {
        using var image = PreviewImages.Load(encoded, MaxSide);
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        return Convert.ToBase64String(buffer.ToArray());
    }

    private static int Compare(RescoreRecord x, RescoreRecord y) =>
        x.Quality!.Value.CompareTo(y.Quality!.Value) is var c && c != 0 ? c : string.CompareOrdinal(x.Key, y.Key);
}

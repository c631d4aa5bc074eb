using System.Globalization;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// The index tags a scored image gets. Scores are written fixed-width (<c>0.00000</c>, clamped to
/// [0, 9.99999]) so that string range queries sort them (<c>"ipiqa_q" &gt;= '0.40000'</c>). Azure allows
/// 10 tags per blob: the image's other tags are always kept, and ours are added in the order
/// verdict, quality, alignment, model while there is room; <see cref="Merge"/> reports what was left out.
/// An image that is itself bad (empty, too large, unsupported, undecodable) gets <c>ipiqa_v=error</c>
/// and <c>ipiqa_e=CODE</c> instead of scores, so a pipeline can find broken images by tag; other
/// errors (a bad message or prompt, a missing or foreign blob) tag nothing.
/// </summary>
public static class ScoreTags
{
    public const string Prefix = "ipiqa_";
    public const string Verdict = "ipiqa_v";
    public const string Quality = "ipiqa_q";
    public const string Alignment = "ipiqa_a";
    public const string Model = "ipiqa_m";
    public const string Error = "ipiqa_e";
    public const string ErrorVerdict = "error";
    public const int MaxTags = 10;

    private static readonly HashSet<string> ImageErrors = new(StringComparer.Ordinal)
    {
        ErrorCodes.ImageEmpty, ErrorCodes.ImageTooLarge, ErrorCodes.ImageUnsupported, ErrorCodes.ImageUndecodable, ErrorCodes.ImageTruncated,
    };

    /// <summary>Our tags for a result, in priority order; empty when the result says nothing about the image itself.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error is { } error)
        {
            return ImageErrors.Contains(error.Code)
                ? [new(Verdict, ErrorVerdict), new(Error, error.Code), new(Model, result.Model?.Hash ?? "unknown")]
                : [];
        }

        var scores = result.Scores ?? throw new ArgumentException("A result has either scores or an error.", nameof(result));
        return
        [
            new(Verdict, result.Verdict?.Outcome ?? "none"),
            new(Quality, FixedWidth(scores.Quality)),
            new(Alignment, FixedWidth(scores.Alignment)),
            new(Model, result.Model?.Hash ?? "unknown"),
        ];
    }

    /// <summary>A score as <c>0.00000</c>, clamped to [0, 9.99999]; NaN is written as 0.00000.</summary>
    public static string FixedWidth(double score)
    {
        var clamped = double.IsNaN(score) ? 0 : Math.Clamp(score, 0, 9.99999);
        return clamped.ToString("0.00000", CultureInfo.InvariantCulture);
    }

    /// <summary>The image's other tags plus ours, never more than <see cref="MaxTags"/>; <paramref name="dropped"/> names ours that did not fit.</summary>
    public static Dictionary<string, string> Merge(IDictionary<string, string> existing, IReadOnlyList<KeyValuePair<string, string>> ours, out IReadOnlyList<string> dropped)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(ours);
        var merged = existing.Where(t => !t.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var left = new List<string>();
        foreach (var (key, value) in ours)
        {
            if (merged.Count < MaxTags)
            {
                merged[key] = value;
            }
            else
            {
                left.Add(key);
            }
        }

        dropped = left;
        return merged;
    }
}

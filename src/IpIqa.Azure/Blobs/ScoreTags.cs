using System.Globalization;
using IpIqa.Core.Contracts;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// The index tags a scored image gets. Scores are written fixed-width (<c>0.00000</c>, clamped to
/// [0, 9.99999]) so that string range queries sort them (<c>"ipiqa_q" &gt;= '0.40000'</c>). Azure allows
/// 10 tags per blob: the image's other tags are always kept, and ours are added in the order
/// verdict, quality, alignment, model while there is room; <see cref="Merge"/> reports what was left out.
/// </summary>
public static class ScoreTags
{
    public const string Prefix = "ipiqa_";
    public const string Verdict = "ipiqa_v";
    public const string Quality = "ipiqa_q";
    public const string Alignment = "ipiqa_a";
    public const string Model = "ipiqa_m";
    public const int MaxTags = 10;

    /// <summary>Our tags for a scored result, in priority order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var scores = result.Scores ?? throw new ArgumentException("Only a scored result has score tags.", nameof(result));
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

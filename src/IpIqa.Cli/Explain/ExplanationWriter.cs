using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Explain;

/// <summary>
/// Writes one image's explanation into a folder: <c>NAME.attention.json</c> (<see cref="ExplanationJson"/>) and
/// <c>NAME.overlay.png</c> (<see cref="AttentionOverlay"/>). NAME is the image's name with every character other
/// than a letter, digit, '.', '-' or '_' replaced by '_' (<see cref="ExplanationNames.Sanitise"/>).
/// </summary>
internal sealed class ExplanationWriter(string folder, ModelIdentity model)
{
    public const string JsonSuffix = Explanation.AttentionSuffix;
    public const string OverlaySuffix = Explanation.OverlaySuffix;

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The file name stem of an image's explanation files.</summary>
    public static string Stem(string imageName) => ExplanationNames.Sanitise(imageName);

    public async Task WriteAsync(ScorerInput input, Scores scores, AttentionMap map, IReadOnlyList<WordAttribution>? words, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(map);
        var stem = Stem(input.Image.Name);
        // The image is read again for the overlay through the one file reader, with the scoring cap:
        // the file may have changed since it was scored (a FIFO or a huge file in its place).
        var encoded = input.Image.Path is { } path
            ? await ImageFiles.ReadAsync(path, input.Image.Name, Core.Imaging.ImageLimits.Default.MaxBytes, cancellationToken).ConfigureAwait(false)
            : input.Image.Bytes.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(Folder, stem + OverlaySuffix), AttentionOverlay.RenderPng(encoded, map), cancellationToken).ConfigureAwait(false);
        var json = ExplanationJson.Write(input.Image.Name, input.Prompt, model, scores, map, stem + OverlaySuffix, words);
        await File.WriteAllBytesAsync(Path.Combine(Folder, stem + JsonSuffix), json, cancellationToken).ConfigureAwait(false);
    }
}

using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Writes explanations into one folder (created when missing). Each file is written beside its final name and
/// renamed over it, so a reader never sees half a file. The stem must be a plain file name (see
/// <see cref="ExplanationNames"/>); anything that would land outside the folder is refused.
/// </summary>
public sealed class FolderExplanationStore(string folder) : IExplanationStore
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public async Task<ResultExplanation> SaveAsync(string stem, Explanation explanation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        if (string.IsNullOrEmpty(stem) || stem != Path.GetFileName(stem) || stem.StartsWith('.'))
        {
            throw new ArgumentException($"'{stem}' is not a plain file name stem.", nameof(stem));
        }

        Directory.CreateDirectory(Folder);
        var overlay = Path.Combine(Folder, stem + Explanation.OverlaySuffix);
        var attention = Path.Combine(Folder, stem + Explanation.AttentionSuffix);
        await WriteAsync(overlay, explanation.OverlayPng, cancellationToken).ConfigureAwait(false);
        await WriteAsync(attention, explanation.AttentionJson, cancellationToken).ConfigureAwait(false);
        return new ResultExplanation(overlay, attention);
    }

    private static async Task WriteAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

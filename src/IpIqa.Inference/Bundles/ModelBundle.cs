using IpIqa.Core.Bundles;

namespace IpIqa.Inference.Bundles;

/// <summary>A bundle folder whose manifest was read and whose files all matched their SHA-256.</summary>
public sealed record ModelBundle(string Folder, BundleManifest Manifest, ModelIdentity Identity)
{
    public string TextGraphPath => Path.Combine(Folder, Manifest.Graphs.Text.File);

    public string ImageGraphPath => Path.Combine(Folder, Manifest.Graphs.Image.File);

    /// <summary>The head graph's file, or null for a bundle without one.</summary>
    public string? HeadGraphPath => Manifest.Graphs.Head is { } head ? Path.Combine(Folder, head.File) : null;

    public int ImageSize => Manifest.Input.Resolution;

    public int ContextLength => Manifest.Tokenizer.ContextLength;

    public int EmbedDim => Manifest.Architecture.EmbedDim;

    public int OutputCount => Manifest.Outputs.Count;
}

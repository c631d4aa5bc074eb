using IpIqa.Core.Bundles;
using IpIqa.Training.Onnx;

namespace IpIqa.Training.Bundles;

/// <summary>
/// Gives a bundle on disk, exported before head graphs existed, its head graph without its checkpoint: the fp32
/// image graph is read back and split at the prompt (<see cref="HeadGraphSplit"/>). The image graph gains the image
/// features as outputs and keeps every node, so its scores do not change; its SHA-256, and with it the model hash, does.
/// </summary>
public static class HeadGraphAdder
{
    /// <summary>Rewrites the bundle in <paramref name="bundleFolder"/> in place; <c>bundle.json</c> is written last.</summary>
    /// <exception cref="InvalidDataException">The bundle already has a head graph, is not fp32, or its image graph does not match its manifest.</exception>
    public static BundleManifest AddHead(string bundleFolder, CancellationToken cancellationToken)
    {
        var source = BundleManifestSerializer.ReadFromFolder(bundleFolder);
        if (source.Graphs.Head is not null)
        {
            throw new InvalidDataException($"{bundleFolder} already has a head graph ({source.Graphs.Head.File}).");
        }

        if (source.Graphs.Image.EffectivePrecision != BundlePrecision.Fp32)
        {
            throw new InvalidDataException($"{bundleFolder}: the image graph is {source.Graphs.Image.EffectivePrecision}; a head graph is split from an fp32 image graph.");
        }

        var imagePath = Path.Combine(bundleFolder, source.Graphs.Image.File);
        if (BundleWriter.Sha256Of(imagePath) != source.Graphs.Image.Sha256)
        {
            throw new InvalidDataException($"{imagePath} does not match the SHA-256 in {BundleManifest.FileName}.");
        }

        var (image, head) = HeadGraphSplit.Split(OnnxGraphReader.ReadFile(imagePath));
        cancellationToken.ThrowIfCancellationRequested();

        // Without bundle.json while the graphs are rewritten, the folder is never a bundle whose files disagree with it.
        File.Delete(Path.Combine(bundleFolder, BundleManifest.FileName));
        var name = $"{source.Name} {source.Version}";
        var imageGraph = BundleWriter.WriteGraph(image, bundleFolder, source.Graphs.Image.File, BundlePrecision.Fp32, $"IP-IQA image and fusion graph of {name}");
        var headGraph = BundleWriter.WriteGraph(head, bundleFolder, BundleWriter.HeadGraphFile, BundlePrecision.Fp32, $"IP-IQA head graph (the prompt-dependent part of the image graph) of {name}");
        var manifest = source with
        {
            Graphs = source.Graphs with { Image = imageGraph, Head = headGraph },
            Provenance = (source.Provenance ?? new BundleProvenance()) with { Command = $"{source.Provenance?.Command ?? "ipiqa-train export"}; ipiqa-train add-head" },
        };
        BundleManifestSerializer.WriteToFolder(manifest, bundleFolder);
        return manifest;
    }
}

using System.Text.Json.Nodes;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// The fp32 export splits the image graph at the prompt: the head graph reads <c>text_features</c> and the image features
/// the image graph outputs, and holds no part of the ResNet trunk; <c>ipiqa-train add-head</c> gives a bundle exported
/// without a head graph the same two graphs, byte for byte; fp16 bundles have none.
/// </summary>
public sealed class HeadGraphSplitTests(ReferenceBundleFixture fp32, Fp16ReferenceBundleFixture fp16)
    : IClassFixture<ReferenceBundleFixture>, IClassFixture<Fp16ReferenceBundleFixture>
{
    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Fp32_export_has_a_head_graph_that_reads_the_image_features_and_runs_no_convolution()
    {
        var head = Assert.IsType<BundleGraph>(fp32.Manifest.Graphs.Head);
        var features = head.Inputs.Where(BundleGraphNames.IsImageFeature).ToArray();

        Assert.Equal(BundleWriter.HeadGraphFile, head.File);
        Assert.Equal([BundleGraphNames.TextFeatures, "image_feature_0", "image_feature_1", "image_feature_2"], head.Inputs);
        Assert.Equal([BundleGraphNames.Scores, ImageGraphExporter.TextPooledOutput, BundleGraphNames.Attention], head.Outputs);
        Assert.All(features, f => Assert.True(fp32.Manifest.Graphs.Image.HasOutput(f), f));
        Assert.Equal(BundleWriter.Sha256Of(fp32.PathOf(head.File)), head.Sha256);

        var graph = OnnxGraphReader.ReadFile(fp32.PathOf(head.File));
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "Conv");
        Assert.Contains(graph.Nodes, n => n.OpType == "Softmax");
        Assert.DoesNotContain(graph.Initializers.Keys, k => k.StartsWith("resnet50.", StringComparison.Ordinal));
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Fp16_export_has_no_head_graph()
    {
        Assert.Null(fp16.Manifest.Graphs.Head);
        Assert.False(File.Exists(fp16.PathOf(BundleWriter.HeadGraphFile)));
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Add_head_gives_a_bundle_exported_without_one_the_exporters_graphs_and_refuses_a_second_time()
    {
        using var temp = new TempDirectory("add-head");
        var folder = OldFormatCopy(temp.Path);

        var manifest = HeadGraphAdder.AddHead(folder, CancellationToken.None);

        Assert.Equal(fp32.Manifest.Graphs.Image.Sha256, manifest.Graphs.Image.Sha256);
        Assert.Equal(fp32.Manifest.Graphs.Image.Outputs, manifest.Graphs.Image.Outputs);
        Assert.Equal(fp32.Manifest.Graphs.Head!.Sha256, manifest.Graphs.Head!.Sha256);
        Assert.Equal(fp32.Manifest.Graphs.Head.Inputs, manifest.Graphs.Head.Inputs);
        Assert.Equal(fp32.Manifest.Graphs.Head.Outputs, manifest.Graphs.Head.Outputs);
        Assert.Equal(BundleWriter.Sha256Of(fp32.PathOf(BundleWriter.ImageGraphFile)), BundleWriter.Sha256Of(Path.Combine(folder, BundleWriter.ImageGraphFile)));
        var written = BundleManifestSerializer.ReadFromFolder(folder);
        Assert.Equal(manifest.Graphs.Head.Sha256, written.Graphs.Head?.Sha256);
        Assert.Equal(BundleWriter.Sha256Of(Path.Combine(folder, BundleWriter.HeadGraphFile)), written.Graphs.Head?.Sha256);
        Assert.EndsWith("ipiqa-train add-head", manifest.Provenance?.Command, StringComparison.Ordinal);

        var again = Assert.Throws<InvalidDataException>(() => HeadGraphAdder.AddHead(folder, CancellationToken.None));
        Assert.Contains("already has a head graph", again.Message, StringComparison.Ordinal);
    }

    /// <summary>A copy of the fp32 bundle as the exporter wrote it before head graphs: the unsplit image graph, no head.</summary>
    private string OldFormatCopy(string folder)
    {
        foreach (var file in Directory.GetFiles(fp32.Folder).Where(f => Path.GetFileName(f) != BundleWriter.HeadGraphFile))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var image = Path.Combine(folder, BundleWriter.ImageGraphFile);
        var unsplit = ImageGraphExporter.Build(ReferenceModel.Instance.Architecture, ReferenceModel.Instance.Weights);
        OnnxModelWriter.WriteFile(unsplit, image, "IP-IQA image and fusion graph of ipiqa-reference 0.0.1-test");
        var manifest = Path.Combine(folder, BundleManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["graphs"]!.AsObject().Remove("head");
        json["graphs"]!["image"]!["sha256"] = BundleWriter.Sha256Of(image);
        json["graphs"]!["image"]!["outputs"] = new JsonArray([.. unsplit.Outputs.Select(o => JsonValue.Create(o.Name))]);
        File.WriteAllText(manifest, json.ToJsonString());
        return folder;
    }
}

using IpIqa.TestSupport;
using IpIqa.Training.Import;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Import;

public sealed class IpIqaCheckpointForwardTests
{
    private const double Tolerance = 1e-4;

    [FixtureTheory(Reference.Manifest, Reference.IpIqaPt, Reference.IpIqaSafetensors, Reference.Pixels)]
    [InlineData(Reference.IpIqaPt)]
    [InlineData(Reference.IpIqaSafetensors)]
    public void Forward_OfImportedCheckpoint_ReproducesReferenceScoresAndIntermediates(string checkpoint)
    {
        using var scope = NewDisposeScope();
        using var imported = new CheckpointImporter().Import(Reference.PathOf(checkpoint), CheckpointFormat.IpIqa, Reference.Config());

        using var output = imported.Model.Predict(Reference.Load("pixels"), Reference.TokenIds());

        Assert.InRange(Reference.MaxAbsDiff(output.Scores, Reference.Load("scores")), 0, Tolerance);
        Assert.InRange(Reference.MaxAbsDiff(output.TextFeatures, Reference.Load("text_features")), 0, Tolerance);
        Assert.InRange(Reference.MaxAbsDiff(output.VisualPooled, Reference.Load("visual_pooled")), 0, Tolerance);
        Assert.InRange(Reference.MaxAbsDiff(output.TextPooled, Reference.Load("text_pooled")), 0, Tolerance);
    }

    [FixtureFact(Reference.Manifest, Reference.IpIqaPt)]
    public void Import_InfersMlpHeadFromKeys_WhenConfigSaysLinear()
    {
        var config = Reference.Config() with { Head = "linear" };

        using var imported = new CheckpointImporter().Import(Reference.PathOf(Reference.IpIqaPt), CheckpointFormat.Auto, config);

        Assert.Equal("mlp", imported.Model.Config.Head);
        Assert.Equal(CheckpointFormat.IpIqa, imported.Format);
    }
}

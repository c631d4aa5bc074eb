using IpIqa.Model;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace IpIqa.Training.Evaluation;

/// <summary>
/// A zero-shot probe of a pretrained CLIP (a <c>pretrain-clip</c> or <c>image2prompt</c> checkpoint) on a synthetic
/// set: for each image drawn as its prompt says and each attribute, image-to-text retrieval among the prompts of
/// the same scene with that attribute set to every value the grammar has (its own prompt among them). Top-1 at
/// chance (one over the candidates) means the towers cannot tell the attribute apart; near 1, that they can.
/// </summary>
public static class ClipAttributeProbe
{
    /// <summary>The attributes probed, in <see cref="SwapAttribute"/> order.</summary>
    public static IReadOnlyList<SwapAttribute> Attributes { get; } = [SwapAttribute.Shape, SwapAttribute.Colour, SwapAttribute.Count, SwapAttribute.Position, SwapAttribute.Style];

    /// <summary>One row of the probe: <paramref name="Top1"/> is the share of images whose own prompt is the closest candidate.</summary>
    public sealed record Row(SwapAttribute Attribute, int Images, int Candidates, double Top1)
    {
        public double Chance => 1.0 / Candidates;
    }

    /// <summary>The scene with <paramref name="attribute"/> set to each value of the grammar, in the grammar's order (the scene itself among them).</summary>
    public static IReadOnlyList<SceneSpec> Candidates(SceneSpec scene, SwapAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(scene);
        return attribute switch
        {
            SwapAttribute.Shape => [.. Enum.GetValues<ShapeKind>().Select(v => scene with { Shape = v })],
            SwapAttribute.Colour => [.. SceneColor.Palette.Select(v => scene with { Color = v })],
            SwapAttribute.Count => [.. Enumerable.Range(1, PromptGrammar.MaxCount).Select(v => scene with { Count = v })],
            SwapAttribute.Position => [.. Enum.GetValues<ScenePosition>().Select(v => scene with { Position = v })],
            SwapAttribute.Style => [.. Enum.GetValues<RenderStyle>().Select(v => scene with { Style = v })],
            _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "The probe swaps one attribute of the scene."),
        };
    }

    /// <summary>Whether the candidate at <paramref name="own"/> has the strictly highest similarity.</summary>
    public static bool IsTop1(IReadOnlyList<float> similarities, int own)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        return similarities.Where((s, i) => i != own).All(s => s < similarities[own]);
    }

    /// <summary>Runs the probe with <paramref name="model"/> on the images of <paramref name="set"/> (labelled by <paramref name="images"/>, in the same order).</summary>
    public static IReadOnlyList<Row> Run(IpIqaModel model, SampleSet set, IReadOnlyList<AttributeSwapCheck.LabelledImage> images, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(images);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var imageEmbeddings = cat([.. set.OrderedBatches(batchSize).Select(b => normalize(model.EncodeImage(set.Pixels(b, cancellationToken)), dim: -1))], 0); // N E
        var prompts = images.SelectMany(i => Attributes.SelectMany(a => Candidates(i.Scene, a))).Select(s => s.ToPrompt()).Distinct(StringComparer.Ordinal).ToArray();
        var textEmbeddings = cat([.. prompts.Chunk(batchSize).Select(p => normalize(model.EncodeText(set.Tokens(p)), dim: -1))], 0); // P E
        var index = prompts.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => (long)x.i, StringComparer.Ordinal);
        return [.. Attributes.Select(attribute =>
        {
            var hits = 0;
            var candidates = 0;
            for (var n = 0; n < images.Count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var scenes = Candidates(images[n].Scene, attribute);
                candidates = scenes.Count;
                using var rows = textEmbeddings.index_select(0, tensor(scenes.Select(s => index[s.ToPrompt()]).ToArray()));
                using var similarities = rows.matmul(imageEmbeddings[n]);
                var own = scenes.ToList().IndexOf(images[n].Scene);
                hits += IsTop1(similarities.data<float>().ToArray(), own) ? 1 : 0;
            }

            return new Row(attribute, images.Count, candidates, images.Count == 0 ? double.NaN : (double)hits / images.Count);
        })];
    }
}

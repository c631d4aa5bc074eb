using IpIqa.Model;
using IpIqa.Training.Data;
using static TorchSharp.torch;

namespace IpIqa.Training.Training;

/// <summary>
/// Samples of one split with the means to batch them: pixels (N 3 S S), token ids (N L), MOS targets
/// (N outputs) and prompt-group indices (for contrastive targets). Batches are shuffled by a seeded
/// generator, so a run with the same seed sees the same order.
/// </summary>
public sealed class SampleSet(string name, IReadOnlyList<IqaSample> samples, PixelSource pixels, PromptTokens tokens)
{
    private readonly Dictionary<string, int> _groupIndex = samples
        .Select(s => s.PromptGroup).Distinct(StringComparer.Ordinal)
        .Select((g, i) => (g, i)).ToDictionary(x => x.g, x => x.i, StringComparer.Ordinal);

    public string Name { get; } = name;

    public IReadOnlyList<IqaSample> Samples { get; } = samples;

    public int Count => Samples.Count;

    public int Resolution => pixels.Spec.Size;

    /// <summary>Where the batches' tensors are placed (the model's device).</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>Index batches of one epoch: a seeded shuffle, then chunks of <paramref name="batchSize"/>. A last batch smaller than 2 is dropped.</summary>
    public IReadOnlyList<int[]> ShuffledBatches(int batchSize, int seed, int epoch)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(SeedMix.Combine(seed, epoch)).Shuffle(order);
        return order.Chunk(batchSize).Where(b => b.Length >= 2).ToArray();
    }

    /// <summary>Index batches in file order (evaluation).</summary>
    public IReadOnlyList<int[]> OrderedBatches(int batchSize) => Enumerable.Range(0, Count).Chunk(batchSize).ToArray();

    public Tensor Pixels(int[] batch, CancellationToken cancellationToken)
    {
        var length = pixels.Spec.TensorLength;
        var buffer = new float[batch.Length * length];
        pixels.Fill(batch.Select(i => Samples[i].ImagePath).ToArray(), buffer, cancellationToken);
        return tensor(buffer, [batch.Length, 3, Resolution, Resolution]).to(Device);
    }

    public Tensor Tokens(int[] batch) => Tokens(batch.Select(i => Samples[i].Prompt));

    public Tensor Tokens(IEnumerable<string> prompts)
    {
        var ids = tokens.Batch(prompts);
        return tensor(ids, [ids.Length / tokens.ContextLength, tokens.ContextLength]).to(Device);
    }

    /// <summary>N x outputs: quality, then alignment when the model predicts it.</summary>
    public Tensor Targets(int[] batch, int outputs)
    {
        var values = new float[batch.Length * outputs];
        for (var row = 0; row < batch.Length; row++)
        {
            var sample = Samples[batch[row]];
            values[row * outputs] = (float)sample.Quality;
            if (outputs > 1)
            {
                values[(row * outputs) + 1] = (float)(sample.Alignment ?? throw new InvalidDataException($"{sample.ImagePath}: the sample has no alignment MOS."));
            }
        }

        return tensor(values, [batch.Length, outputs]).to(Device);
    }

    /// <summary>The prompt-group index of each sample in the batch (equal prompts are equal positives).</summary>
    public Tensor Groups(int[] batch) => tensor(batch.Select(i => (long)_groupIndex[Samples[i].PromptGroup]).ToArray()).to(Device);

    /// <summary>Flips each image horizontally with probability 0.5 (the official train transform's RandomHorizontalFlip).</summary>
    public static Tensor RandomHorizontalFlip(Tensor pixels, Generator generator)
    {
        using var scope = NewDisposeScope();
        var flip = rand([pixels.shape[0], 1, 1, 1], generator: generator).Below(0.5).to(pixels.device);
        return where(flip, pixels.flip(3), pixels).MoveToOuterDisposeScope();
    }
}

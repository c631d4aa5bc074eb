using IpIqa.Model;
using static TorchSharp.torch;

namespace IpIqa.Training.Training;

/// <summary>Scores a sample set with the TorchSharp model in eval mode under no_grad; the loss is the MSE against the MOS.</summary>
public static class IqaPredictor
{
    public static Predictions Predict(IpIqaModel model, SampleSet set, int outputs, int batchSize, CancellationToken cancellationToken)
    {
        model.eval();
        using var noGrad = no_grad();
        var rows = new List<double[]>(set.Count);
        double squared = 0;
        foreach (var batch in set.OrderedBatches(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var scores = model.forward(set.Pixels(batch, cancellationToken), set.Tokens(batch));
            var predicted = scores.narrow(1, 0, outputs);
            squared += nn.functional.mse_loss(predicted, set.Targets(batch, outputs), nn.Reduction.Sum).item<float>();
            var values = predicted.cpu().contiguous().data<float>().ToArray();
            for (var row = 0; row < batch.Length; row++)
            {
                rows.Add(Enumerable.Range(0, outputs).Select(o => (double)values[(row * outputs) + o]).ToArray());
            }
        }

        return new Predictions(set.Samples, [.. rows], squared / Math.Max(set.Count * outputs, 1));
    }
}

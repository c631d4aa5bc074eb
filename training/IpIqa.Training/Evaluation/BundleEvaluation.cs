using System.Text.Json.Nodes;
using IpIqa.Training.Data;
using IpIqa.Training.Training;

namespace IpIqa.Training.Evaluation;

/// <summary>
/// <c>ipiqa-train evaluate</c>'s work: scores a data set with a bundle, computes SRCC/PLCC/KRCC per output,
/// and optionally the prompt-swap check. Pairs that fail to score are counted and left out of the metrics.
/// </summary>
public static class BundleEvaluation
{
    public sealed record Result(Predictions Predictions, IReadOnlyList<string> Failures, double? MismatchShare, int MismatchPairs, JsonObject Json);

    public static async Task<Result> RunAsync(BundleScorer scorer, IqaDataset dataset, double? mismatchMinAlignment, int seed, CancellationToken cancellationToken)
    {
        var outputs = dataset.HasAlignment ? 2 : 1;
        var results = await scorer.ScoreAsync(dataset.Samples.Select(s => (s, s.Prompt)), cancellationToken).ConfigureAwait(false);
        var failures = new List<string>();
        var scored = new List<IqaSample>();
        var rows = new List<double[]>();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            if (!result.IsSuccess)
            {
                failures.Add($"{dataset.Samples[i].ImagePath}: {result.Error.Code}: {result.Error.Message}");
                continue;
            }

            scored.Add(dataset.Samples[i]);
            rows.Add(outputs == 2 ? [result.Scores.Quality, result.Scores.Alignment] : [result.Scores.Quality]);
        }

        if (scored.Count == 0)
        {
            throw new InvalidDataException($"No pair could be scored; the first failure: {failures.FirstOrDefault()}");
        }

        var predictions = new Predictions(scored, [.. rows], double.NaN);
        var json = MetricsJson.Of(predictions);
        json["model"] = scorer.ModelName;
        json["failures"] = failures.Count;

        double? share = null;
        var pairCount = 0;
        if (mismatchMinAlignment is { } min && outputs == 2)
        {
            var pairs = MismatchCheck.Pairs(scored, min, seed);
            var swapped = await scorer.ScoreAsync(pairs.Select(p => (p.Sample, p.Mismatched)), cancellationToken).ConfigureAwait(false);
            var matching = scored.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => rows[x.i][1]);
            var compared = pairs.Zip(swapped).Where(x => x.Second.IsSuccess).Select(x => (matching[x.First.Sample], (double)x.Second.Scores!.Alignment)).ToArray();
            share = MismatchCheck.Share(compared);
            pairCount = compared.Length;
            json["prompt_swap"] = new JsonObject { ["min_alignment"] = min, ["pairs"] = pairCount, ["share_matching_higher"] = share };
        }

        return new Result(predictions, failures, share, pairCount, json);
    }
}

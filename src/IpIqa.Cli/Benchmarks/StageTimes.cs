using IpIqa.Core.Jobs;
using System.Text.Json.Serialization;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Benchmarks;

/// <summary>
/// Mean milliseconds per scored item of each stage of the scoring path. Stages overlap (images
/// are decoded while the model runs), so they do not add up to <c>ms_per_image</c>.
/// </summary>
internal sealed class StageTimes
{
    private double _read;
    private double _preprocess;
    private double _queue;
    private double _model;
    private double _batchWall;
    private double _batch;

    [JsonIgnore]
    public int Items { get; private set; }

    [JsonIgnore]
    public double MeanBatchSize => Mean(_batch);

    /// <summary>Reading the file.</summary>
    [JsonPropertyName("read")]
    public double Read => Mean(_read);

    /// <summary>Decode, resize and normalise.</summary>
    [JsonPropertyName("preprocess")]
    public double Preprocess => Mean(_preprocess);

    /// <summary>Waiting for a batch to form and for the model to be free.</summary>
    [JsonPropertyName("queue")]
    public double Queue => Mean(_queue);

    /// <summary>Model time per image: each batch's run (text misses, image graph and head) divided among its items.</summary>
    [JsonPropertyName("model")]
    public double Model => Mean(_model);

    /// <summary>Wall time of the whole batch an item was in.</summary>
    [JsonPropertyName("batch")]
    public double Batch => Mean(_batchWall);

    public void Add(ScoreTimings timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        if (timings.BatchSize == 0)
        {
            return;
        }

        Items++;
        _read += timings.Read.TotalMilliseconds;
        _preprocess += timings.Preprocess.TotalMilliseconds;
        _queue += timings.Queue.TotalMilliseconds;
        _model += timings.Inference.TotalMilliseconds / timings.BatchSize;
        _batchWall += timings.Inference.TotalMilliseconds;
        _batch += timings.BatchSize;
    }

    private double Mean(double total) => Items == 0 ? 0 : Math.Round(total / Items, 3);
}

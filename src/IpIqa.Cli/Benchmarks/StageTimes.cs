using System.Text.Json.Serialization;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Benchmarks;

/// <summary>Mean per-item time of each stage of the scoring path, and the mean batch size, over scored items.</summary>
internal sealed class StageTimes
{
    private double _read;
    private double _preprocess;
    private double _queue;
    private double _inference;
    private double _batch;

    [JsonPropertyName("items")]
    public int Items { get; private set; }

    [JsonPropertyName("readMs")]
    public double ReadMs => Mean(_read);

    [JsonPropertyName("preprocessMs")]
    public double PreprocessMs => Mean(_preprocess);

    [JsonPropertyName("queueMs")]
    public double QueueMs => Mean(_queue);

    /// <summary>Wall time of the batch an item was in (shared by its batch).</summary>
    [JsonPropertyName("batchInferenceMs")]
    public double BatchInferenceMs => Mean(_inference);

    [JsonPropertyName("meanBatchSize")]
    public double MeanBatchSize => Mean(_batch);

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
        _inference += timings.Inference.TotalMilliseconds;
        _batch += timings.BatchSize;
    }

    private double Mean(double total) => Items == 0 ? 0 : Math.Round(total / Items, 3);
}

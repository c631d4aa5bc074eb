using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Training.Training;

/// <summary>Where a stage stands: written with every checkpoint (<c>state.json</c>) so a run can resume.</summary>
public sealed record TrainingState
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    [JsonPropertyName("stage")] public required string Stage { get; init; }

    /// <summary>Epochs completed (the next epoch to run, 0-based).</summary>
    [JsonPropertyName("epoch")] public int Epoch { get; init; }

    /// <summary>Optimiser steps taken.</summary>
    [JsonPropertyName("step")] public int Step { get; init; }

    [JsonPropertyName("best_score")] public double? BestScore { get; init; }
    [JsonPropertyName("best_epoch")] public int? BestEpoch { get; init; }

    /// <summary>Scalars that live outside the model (the contrastive logit scale).</summary>
    [JsonPropertyName("extra")] public Dictionary<string, double> Extra { get; init; } = [];

    [JsonPropertyName("options")] public required TrainingOptions Options { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainingState Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: the training state is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid training state at {e.Path}: {e.Message}", e);
        }
    }
}

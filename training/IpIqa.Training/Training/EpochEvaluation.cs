namespace IpIqa.Training.Training;

/// <summary>
/// What a stage measures after an epoch on its held-out split: the loss, the IQA predictions where the
/// stage predicts scores, and the selection score (higher is better; the best epoch's weights are kept).
/// </summary>
public sealed record EpochEvaluation(string Split, double Loss, Predictions? Predictions, double Score);

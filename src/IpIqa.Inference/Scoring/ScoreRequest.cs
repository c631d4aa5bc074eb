namespace IpIqa.Inference.Scoring;

/// <summary>One (image, prompt) pair to score.</summary>
public sealed record ScoreRequest(ImageInput Image, string Prompt);

namespace IpIqa.Inference.Scoring;

/// <summary>The two predicted MOS: perceptual quality and image-prompt alignment.</summary>
public sealed record ModelScores(float Quality, float Alignment);

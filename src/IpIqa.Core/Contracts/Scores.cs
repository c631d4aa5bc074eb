namespace IpIqa.Core.Contracts;

/// <summary>The model's two outputs, on the training MOS scale.</summary>
public sealed record Scores(double Quality, double Alignment);

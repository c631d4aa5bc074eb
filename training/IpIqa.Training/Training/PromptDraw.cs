namespace IpIqa.Training.Training;

/// <summary>The prompts a training batch is paired with, their alignment targets, and which pairs are mismatched negatives.</summary>
public sealed record PromptDraw(string[] Prompts, double[] Alignment, bool[] Mismatched);

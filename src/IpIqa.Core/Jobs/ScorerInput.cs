namespace IpIqa.Core.Jobs;

/// <summary>An image (<see cref="ImageInput.Name"/> names it in logs) and the prompt to score it against.</summary>
public sealed record ScorerInput(ImageInput Image, string Prompt);

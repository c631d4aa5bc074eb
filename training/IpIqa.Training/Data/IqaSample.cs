namespace IpIqa.Training.Data;

/// <summary>
/// One rated (image, prompt) pair. <see cref="PromptGroup"/> identifies the prompt, so that splits
/// never put one prompt on both sides. <see cref="Alignment"/> is null where a set rates quality only.
/// </summary>
public sealed record IqaSample(string ImagePath, string Prompt, double Quality, double? Alignment, string PromptGroup);

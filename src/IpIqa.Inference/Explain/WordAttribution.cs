namespace IpIqa.Inference.Explain;

/// <summary>
/// One prompt word's share of the alignment: the alignment of the prompt with the word left out, and
/// <see cref="Change"/> = full alignment − that. Positive: the word raised alignment (the image supports it);
/// negative: the prompt aligns better without it. Null when the variant could not be scored.
/// </summary>
public sealed record WordAttribution(string Word, double? AlignmentWithout, double? Change);

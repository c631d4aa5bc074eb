using IpIqa.Training.Data;

namespace IpIqa.Training.Evaluation;

/// <summary>
/// An image rendered as its prompt says, and a prompt that differs in <see cref="Attribute"/>.
/// <see cref="FormulaGap"/> is the generator's true alignment for the image's own prompt minus that for
/// <see cref="Prompt"/> (docs/synthetic-data.md): the gap a model that learned the formula would give.
/// </summary>
public sealed record SwapPair(IqaSample Sample, SwapAttribute Attribute, string Prompt, double FormulaGap);

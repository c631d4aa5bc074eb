namespace IpIqa.Training.Evaluation;

/// <summary>What the attribute-swap check changes in an image's prompt (<see cref="AttributeSwapCheck"/>).</summary>
public enum SwapAttribute
{
    /// <summary>A random other prompt of the set.</summary>
    RandomPrompt,

    Shape,

    Colour,

    /// <summary>The count, by 2 or 3 (one to four objects).</summary>
    Count,

    Position,

    Style,
}

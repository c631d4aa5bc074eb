namespace IpIqa.Training.Data.Synthetic;

/// <summary>A scene of the grammar: <see cref="Count"/> objects of one shape and colour at one position, in one style.</summary>
public sealed record SceneSpec(ShapeKind Shape, SceneColor Color, int Count, ScenePosition Position, RenderStyle Style)
{
    private static readonly string[] CountWords = ["no", "one", "two", "three", "four"];

    /// <summary>The prompt text, such as "two red circles on the left, sketch style".</summary>
    public string ToPrompt()
    {
        var noun = Shape switch
        {
            ShapeKind.Cross => Count == 1 ? "cross" : "crosses",
            _ => Shape.ToString().ToLowerInvariant() + (Count == 1 ? string.Empty : "s"),
        };
        var where = Position switch
        {
            ScenePosition.Left => "on the left",
            ScenePosition.Right => "on the right",
            ScenePosition.Top => "at the top",
            ScenePosition.Bottom => "at the bottom",
            _ => "in the center",
        };
        return $"{CountWords[Count]} {Color.Name} {noun} {where}, {Style.ToString().ToLowerInvariant()} style";
    }
}

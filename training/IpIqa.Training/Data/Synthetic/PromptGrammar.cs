namespace IpIqa.Training.Data.Synthetic;

/// <summary>Samples scenes (and so prompts) from the grammar: shape × colour × count (1–4) × position × style.</summary>
public static class PromptGrammar
{
    public const int MaxCount = 4;

    public static SceneSpec Sample(Random random) => new(
        Pick(random, Enum.GetValues<ShapeKind>()),
        Pick(random, SceneColor.Palette),
        random.Next(1, MaxCount + 1),
        Pick(random, Enum.GetValues<ScenePosition>()),
        Pick(random, Enum.GetValues<RenderStyle>()));

    internal static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A value of <paramref name="items"/> other than <paramref name="current"/>.</summary>
    internal static T PickOther<T>(Random random, IReadOnlyList<T> items, T current)
    {
        var others = items.Where(i => !EqualityComparer<T>.Default.Equals(i, current)).ToArray();
        return others[random.Next(others.Length)];
    }
}

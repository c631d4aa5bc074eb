namespace IpIqa.Training.Data.Synthetic;

/// <summary>A named colour of the grammar, in linear 0–1 RGB.</summary>
public sealed record SceneColor(string Name, float R, float G, float B)
{
    public static IReadOnlyList<SceneColor> Palette { get; } =
    [
        new("red", 0.86f, 0.10f, 0.10f),
        new("green", 0.10f, 0.70f, 0.20f),
        new("blue", 0.12f, 0.25f, 0.90f),
        new("yellow", 0.95f, 0.85f, 0.10f),
        new("purple", 0.55f, 0.15f, 0.70f),
        new("orange", 0.98f, 0.55f, 0.05f),
        new("white", 0.98f, 0.98f, 0.98f),
        new("black", 0.05f, 0.05f, 0.05f),
    ];
}

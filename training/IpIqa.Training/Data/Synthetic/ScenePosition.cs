namespace IpIqa.Training.Data.Synthetic;

/// <summary>Where in the frame the objects sit.</summary>
public enum ScenePosition
{
    Left,
    Right,
    Top,
    Bottom,
    Center,
}

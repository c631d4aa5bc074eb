namespace IpIqa.Training.Data.Synthetic;

/// <summary>The objects of the synthetic prompt grammar.</summary>
public enum ShapeKind
{
    Circle,
    Square,
    Triangle,
    Star,
    Ring,
    Cross,
}

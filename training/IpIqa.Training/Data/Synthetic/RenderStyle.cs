namespace IpIqa.Training.Data.Synthetic;

/// <summary>How a scene is drawn.</summary>
public enum RenderStyle
{
    /// <summary>Solid fills on a plain background.</summary>
    Flat,

    /// <summary>Shaded fills on a gradient background.</summary>
    Photo,

    /// <summary>Outlines only, on paper.</summary>
    Sketch,

    /// <summary>Solid fills on a checkered background.</summary>
    Checkered,
}

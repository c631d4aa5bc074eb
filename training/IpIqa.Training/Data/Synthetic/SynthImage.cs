namespace IpIqa.Training.Data.Synthetic;

/// <summary>One generated image: its file name, prompt, the controls behind it, and its rated MOS.</summary>
public sealed record SynthImage(
    string Name,
    string Prompt,
    SceneSpec Rendered,
    QualityControls Quality,
    AlignmentControls Alignment,
    double MosQuality,
    double StdQuality,
    double MosAlign,
    double StdAlign);

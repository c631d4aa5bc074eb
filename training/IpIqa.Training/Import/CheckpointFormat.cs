namespace IpIqa.Training.Import;

/// <summary>Which names a checkpoint uses.</summary>
public enum CheckpointFormat
{
    /// <summary>Decide from the keys (CLIP keys start with <c>visual.</c>).</summary>
    Auto,

    /// <summary>An official IP-IQA state dict (<c>resnet50.*</c>, <c>txt_attnpool.*</c>, ...).</summary>
    IpIqa,

    /// <summary>OpenAI CLIP ResNet weights: a new IP-IQA model whose pools and head start fresh.</summary>
    Clip,
}

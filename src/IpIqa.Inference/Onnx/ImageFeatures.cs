namespace IpIqa.Inference.Onnx;

/// <summary>
/// One image's image features: the image graph's <c>image_feature_*</c> outputs for that item, in the head graph's
/// input order, each with its shape without the batch axis. Read by <see cref="IModelSession.ScoreFeatures"/> to
/// score the image against other prompts without running the image graph again.
/// </summary>
public sealed record ImageFeatures(IReadOnlyList<float[]> Values, IReadOnlyList<long[]> Shapes);

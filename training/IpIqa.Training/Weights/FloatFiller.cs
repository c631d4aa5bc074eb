namespace IpIqa.Training.Weights;

/// <summary>Fills a freshly allocated float tensor in place.</summary>
public delegate void FloatFiller(Span<float> destination);

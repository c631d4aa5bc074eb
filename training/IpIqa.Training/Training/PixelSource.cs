using System.Collections.Concurrent;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;

namespace IpIqa.Training.Training;

/// <summary>
/// Turns image files into normalised CHW float32 batches with the serving preprocessor (the reference's
/// eval transform), so training sees the pixels the bundle will see. Images are cached after their first
/// decode while the cache stays under <paramref name="cacheBytes"/>.
/// </summary>
public sealed class PixelSource(IImagePreprocessor preprocessor, PreprocessSpec spec, long cacheBytes = 2L << 30)
{
    private readonly ConcurrentDictionary<string, float[]> _cache = new(StringComparer.Ordinal);
    private long _cachedBytes;

    public PreprocessSpec Spec { get; } = spec;

    /// <summary>Fills <paramref name="destination"/> (paths.Count x 3 x S x S) in parallel.</summary>
    /// <exception cref="InvalidDataException">An image cannot be read or decoded; the message names the file.</exception>
    public void Fill(IReadOnlyList<string> paths, float[] destination, CancellationToken cancellationToken)
    {
        var length = Spec.TensorLength;
        if (destination.Length < paths.Count * length)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats; {paths.Count} images need {paths.Count * length}.", nameof(destination));
        }

        try
        {
            Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                Get(paths[i]).AsSpan().CopyTo(destination.AsSpan(i * length, length)));
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is InvalidDataException first)
        {
            // One clear message naming the first bad file, not "one or more errors occurred".
            throw new InvalidDataException(first.Message, e);
        }
    }

    private float[] Get(string path)
    {
        if (_cache.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var pixels = new float[Spec.TensorLength];
        try
        {
            preprocessor.Preprocess(File.ReadAllBytes(path), Spec, pixels);
        }
        catch (Exception e) when (e is IpIqaException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        if (Interlocked.Add(ref _cachedBytes, pixels.Length * sizeof(float)) <= cacheBytes)
        {
            _cache.TryAdd(path, pixels);
        }

        return pixels;
    }
}

namespace IpIqa.Core.Jobs;

/// <summary>An image to score: a file path, or encoded bytes already in memory. <see cref="Name"/> names it in results.</summary>
public sealed record ImageInput
{
    private ImageInput(string name, string? path, ReadOnlyMemory<byte> bytes)
    {
        Name = name;
        Path = path;
        Bytes = bytes;
    }

    public string Name { get; }

    /// <summary>The file to read, or null when <see cref="Bytes"/> holds the image.</summary>
    public string? Path { get; }

    public ReadOnlyMemory<byte> Bytes { get; }

    public static ImageInput FromFile(string path, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ImageInput(name ?? path, path, ReadOnlyMemory<byte>.Empty);
    }

    public static ImageInput FromBytes(string name, ReadOnlyMemory<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new ImageInput(name, null, bytes);
    }
}

using System.Buffers.Binary;

namespace IpIqa.Rescoring;

/// <summary>
/// The scores of a report's first pass, written to a temporary file (17 bytes a score pair) and read
/// back for the second pass, which bins them once the ranges are known: the records are parsed
/// once, not twice, and memory does not grow with the run (#19). The file is deleted on dispose.
/// </summary>
internal sealed class ScoreSpill : IDisposable
{
    private const int PairBytes = 17;

    private readonly FileStream _file;

    /// <summary>A spill file in <paramref name="folder"/> (null: the temporary folder).</summary>
    public ScoreSpill(string? folder)
    {
        var directory = folder is null ? Path.GetTempPath() : Directory.CreateDirectory(folder).FullName;
        _file = new FileStream(Path.Combine(directory, $"scores-{Guid.NewGuid():N}.bin"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
    }

    public void Add(bool previous, double quality, double alignment)
    {
        Span<byte> pair = stackalloc byte[PairBytes];
        pair[0] = previous ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteDoubleLittleEndian(pair[1..], quality);
        BinaryPrimitives.WriteDoubleLittleEndian(pair[9..], alignment);
        _file.Write(pair);
    }

    /// <summary>Hands every pair added to <paramref name="each"/>, in the order added.</summary>
    public void ForEach(Action<bool, double, double> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        _file.Flush();
        _file.Seek(0, SeekOrigin.Begin);
        var block = new byte[PairBytes * 4096];
        int read;
        while ((read = _file.ReadAtLeast(block, block.Length, throwOnEndOfStream: false)) > 0)
        {
            for (var at = 0; at + PairBytes <= read; at += PairBytes)
            {
                each(block[at] == 1, BinaryPrimitives.ReadDoubleLittleEndian(block.AsSpan(at + 1)), BinaryPrimitives.ReadDoubleLittleEndian(block.AsSpan(at + 9)));
            }
        }
    }

    public void Dispose() => _file.Dispose();
}

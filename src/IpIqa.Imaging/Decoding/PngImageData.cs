using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// Checks that a PNG's IDAT stream holds every row its header declares, before a frame is allocated.
/// Decoders fill the missing rows silently; the reference says "image file is truncated".
/// </summary>
internal static class PngImageData
{
    /// <summary>Deflate's best case codes a 258-byte match in 2 bits: no zlib stream inflates more than 1032:1.</summary>
    public const long MaxInflateRatio = 1032;

    private const int ScratchBytes = 64 * 1024;

    private static readonly (int X, int Y, int StepX, int StepY)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>
    /// Null when the IDAT chunks inflate to at least the filtered size of the declared image; else the
    /// reason. A header or chunk list the decoder will refuse anyway is left to it. With
    /// <paramref name="inflate"/> false only the compressed size is checked: libspng reports a short
    /// stream itself, so its path skips the second inflate (LibSpngDecoder maps that error to truncated).
    /// </summary>
    public static string? FindProblem(ReadOnlySpan<byte> data, bool inflate = true)
    {
        if (ExpectedBytes(data) is not { } expected)
        {
            return null;
        }

        var idat = IdatChunks(data, out var compressed);

        // Cheap bound first: a tiny file declaring a huge frame fails here without inflating anything.
        if (compressed < expected / MaxInflateRatio)
        {
            return $"PNG declares {expected} bytes of row data but its IDAT chunks hold {compressed} compressed bytes, fewer than any zlib stream needs: the file is truncated";
        }

        if (!inflate)
        {
            return null;
        }

        var inflated = Inflate(data, idat, expected);
        return inflated is { } got && got < expected
            ? $"PNG IDAT data ends after {got} of the {expected} bytes of row data its header declares: the file is truncated"
            : null;
    }

    /// <summary>Filter bytes plus packed rows, per Adam7 pass when interlaced; null for a header the decoder must judge.</summary>
    internal static long? ExpectedBytes(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8 + 8 + 13 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return null;
        }

        var header = data.Slice(16, 13);
        long width = BinaryPrimitives.ReadUInt32BigEndian(header);
        long height = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        int channels = header[9] switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        var bits = header[8] * channels;
        if (width == 0 || height == 0 || bits == 0 || header[12] > 1)
        {
            return null;
        }

        if (header[12] == 0)
        {
            return height * (1 + RowBytes(width, bits));
        }

        long total = 0;
        foreach (var (x, y, stepX, stepY) in Adam7)
        {
            var passWidth = (width - x + stepX - 1) / stepX;
            var passHeight = (height - y + stepY - 1) / stepY;
            if (passWidth > 0 && passHeight > 0)
            {
                total += passHeight * (1 + RowBytes(passWidth, bits));
            }
        }

        return total;
    }

    /// <summary>Offset and length of every IDAT payload that lies inside the file.</summary>
    private static List<(int Offset, int Length)> IdatChunks(ReadOnlySpan<byte> data, out long total)
    {
        var chunks = new List<(int Offset, int Length)>();
        total = 0;
        long offset = 8;
        while (offset + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice((int)offset, 4));
            if (offset + 12 + length > data.Length)
            {
                break;
            }

            if (data.Slice((int)offset + 4, 4).SequenceEqual("IDAT"u8))
            {
                chunks.Add(((int)offset + 8, (int)length));
                total += length;
            }

            offset += 12 + length;
        }

        return chunks;
    }

    private static long RowBytes(long width, int bits) => ((width * bits) + 7) / 8;

    /// <summary>Inflates into a small scratch buffer until <paramref name="expected"/> bytes came out; null when the stream is corrupt.</summary>
    private static unsafe long? Inflate(ReadOnlySpan<byte> data, IReadOnlyList<(int Offset, int Length)> idat, long expected)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(ScratchBytes);
        try
        {
            fixed (byte* start = data)
            {
                using var zlib = new ZLibStream(new ChunkStream(start, idat), CompressionMode.Decompress);
                long total = 0;
                int read;
                while (total < expected && (read = zlib.Read(scratch, 0, scratch.Length)) > 0)
                {
                    total += read;
                }

                return total;
            }
        }
        catch (InvalidDataException)
        {
            return null; // corrupt, not short: the decoder reports it
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}

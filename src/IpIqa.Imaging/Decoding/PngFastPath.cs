using System.Buffers.Binary;
using IpIqa.Imaging.Native;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// The PNGs generators write (8-bit RGB or RGBA, not interlaced, no tRNS), decoded with libdeflate's
/// one-shot inflate straight into the tail of the RGBX frame, then unfiltered in place row by row
/// (<see cref="PngUnfilter"/>): the image is in memory once, and nothing else is allocated per image
/// (IDAT data split over several chunks is joined at the front of the same native block).
/// <para>
/// Anything else returns null and goes to libspng as before: other colour types and depths,
/// Adam7, tRNS, critical chunks besides IHDR/IDAT/IEND, ancillary chunks after the image data, IDAT
/// runs split by other chunks, a zlib window other than 32 KiB (zlib refuses distances past a
/// smaller window, libdeflate does not), and every doubt about the data: a bad CRC on any
/// critical chunk, a bad Adler-32, a stream that inflates to more or fewer bytes than the header
/// declares or leaves IDAT bytes unread, a filter type over 4. libspng then decodes or refuses
/// the file exactly as it does without this path, so the fast path never decides an error itself.
/// Ancillary chunks before the image data are read by libspng first (<see cref="LibSpngDecoder.AcceptsChunksBeforeImageData"/>),
/// so a file whose text or ICC chunk libspng refuses is refused the same way.
/// </para>
/// </summary>
internal static class PngFastPath
{
    public const string Name = "libdeflate";

    private const uint Ihdr = 0x49484452;
    private const uint Idat = 0x49444154;
    private const uint Iend = 0x49454E44;
    private const uint Trns = 0x74524E53;

    /// <summary>The zlib header's first byte for deflate with a 32 KiB window, as zlib and Pillow write it.</summary>
    private const byte ZlibDeflate32K = 0x78;

    /// <summary>Room beyond twice the RGBX frame that a small image's copied IDAT data may take.</summary>
    private const long SlackBytes = 64 * 1024;

    /// <summary>The decoded RGBX frame, or null when libspng must decode the file.</summary>
    public static unsafe RgbxImage? TryDecode(ReadOnlySpan<byte> data, int width, int height, long maxPixels, bool allowSimd = true)
    {
        if (!TryReadLayout(data, width, height, out var channels, out var idat, out var ancillaryFirst) ||
            (ancillaryFirst && !LibSpngDecoder.AcceptsChunksBeforeImageData(data, maxPixels)))
        {
            return null;
        }

        // Layout of the one native block: [compressed IDAT data | ... | filtered rows] [padding]. The rows are
        // unfiltered from the front, over the compressed copy, which inflate has read by then.
        var filtered = (long)height * (1 + ((long)width * channels));
        var pixelBytes = (long)width * height * 4;
        var compressed = idat.Sum(c => (long)c.Length);
        var copied = idat.Count > 1 ? compressed : 0;
        var extra = Math.Max(0, filtered + copied - pixelBytes);
        if (pixelBytes + extra > (pixelBytes * 2) + SlackBytes || pixelBytes + extra + RgbxImage.Padding > Array.MaxLength)
        {
            return null; // more than the 8 bytes a pixel a native PNG decode is budgeted (ImagePreprocessor)
        }

        var image = new RgbxImage(width, height, (int)extra);
        try
        {
            fixed (byte* file = data)
            fixed (byte* frame = image.Buffer)
            {
                var input = file + idat[0].Offset;
                if (copied > 0)
                {
                    input = frame;
                    var at = 0L;
                    foreach (var (offset, length) in idat)
                    {
                        data.Slice(offset, length).CopyTo(new Span<byte>(frame + at, length));
                        at += length;
                    }
                }

                var tail = frame + (pixelBytes + extra - filtered);
                if (compressed < 2 || input[0] != ZlibDeflate32K ||
                    !Inflate(input, (nuint)compressed, tail, (nuint)filtered) ||
                    !PngUnfilter.Rows(frame, tail, width, height, channels, allowSimd))
                {
                    image.Dispose();
                    return null;
                }
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static unsafe bool Inflate(byte* input, nuint inputLength, byte* output, nuint outputLength)
    {
        var decompressor = LibDeflateNative.AllocDecompressor();
        if (decompressor == 0)
        {
            return false;
        }

        try
        {
            var rc = LibDeflateNative.ZlibDecompress(decompressor, input, inputLength, output, outputLength, out var read, out var written);
            return rc == LibDeflateNative.Success && read == inputLength && written == outputLength;
        }
        finally
        {
            LibDeflateNative.FreeDecompressor(decompressor);
        }
    }

    /// <summary>Walks the chunks: true for a file this path takes, with its channels and IDAT payloads in order.</summary>
    private static bool TryReadLayout(ReadOnlySpan<byte> data, int width, int height, out int channels, out List<(int Offset, int Length)> idat, out bool ancillaryFirst)
    {
        channels = 0;
        idat = [];
        ancillaryFirst = false;
        if (data.Length < 8 + 25 || ChunkType(data, 8) != Ihdr || BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != 13 || !CrcMatches(data, 8, 13))
        {
            return false;
        }

        var header = data.Slice(16, 13);
        channels = header[9] switch { 2 => 3, 6 => 4, _ => 0 };
        if (BinaryPrimitives.ReadUInt32BigEndian(header) != (uint)width || BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != (uint)height ||
            header[8] != 8 || channels == 0 || header[10] != 0 || header[11] != 0 || header[12] != 0)
        {
            return false;
        }

        long offset = 8 + 25;
        while (offset + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)offset..]);
            if (length > int.MaxValue || offset + 12 + length > data.Length)
            {
                return false;
            }

            var type = ChunkType(data, (int)offset);
            var critical = (type & 0x20000000) == 0;
            if (type == Idat)
            {
                if (!CrcMatches(data, (int)offset, (int)length))
                {
                    return false;
                }

                idat.Add(((int)offset + 8, (int)length));
            }
            else if (type == Iend)
            {
                return idat.Count > 0 && CrcMatches(data, (int)offset, (int)length);
            }
            else if (critical || type == Trns || idat.Count > 0) // a chunk after IDAT ends the run: libspng judges the rest
            {
                return false;
            }
            else
            {
                ancillaryFirst = true;
            }

            offset += 12 + length;
        }

        return false;
    }

    private static uint ChunkType(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32BigEndian(data.Slice(offset + 4, 4));

    /// <summary>The chunk's stored CRC against libdeflate's CRC-32 of its type and data.</summary>
    private static unsafe bool CrcMatches(ReadOnlySpan<byte> data, int offset, int length)
    {
        fixed (byte* p = data)
        {
            var crc = LibDeflateNative.Crc32(0, p + offset + 4, (nuint)(4 + length));
            return crc == BinaryPrimitives.ReadUInt32BigEndian(data.Slice(offset + 8 + length, 4));
        }
    }
}

using System.Buffers.Binary;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// Finds files cut short. Several decoders fill a truncated image with grey or black and report
/// success; the reference refuses such files ("image file is truncated"), so each format's end
/// marker is checked here, and for PNG and JPEG whether the compressed data can cover the declared frame.
/// </summary>
internal static class TruncationGuard
{
    /// <summary>Null when the file ends as its format requires, else the reason it does not. Reads no pixel data.</summary>
    public static string? FindCut(EncodedFormat format, ReadOnlySpan<byte> data) => format switch
    {
        EncodedFormat.Jpeg => CheckJpeg(data),
        EncodedFormat.Png => CheckPng(data),
        EncodedFormat.Gif => CheckGif(data),
        EncodedFormat.WebP => CheckWebP(data),
        EncodedFormat.Bmp => CheckBmp(data),
        _ => null,
    };

    /// <summary>
    /// Null when the compressed data can cover the frame the header declares, else the reason. Call it
    /// after the dimensions passed the pixel cap: it may inflate a PNG's IDAT stream up to its declared size,
    /// unless <paramref name="inflatePng"/> is false (a decoder that reports a short stream as truncated takes it).
    /// </summary>
    public static string? FindShortData(EncodedFormat format, ReadOnlySpan<byte> data, bool inflatePng = true) => format switch
    {
        EncodedFormat.Jpeg => JpegScanData.FindProblem(data),
        EncodedFormat.Png => PngImageData.FindProblem(data, inflatePng),
        _ => null,
    };

    // Entropy-coded data stuffs every 0xFF with 0x00, so scanning back from the end, the first
    // SOS (FFDA) or EOI (FFD9) marker met tells whether the last scan was closed.
    private static string? CheckJpeg(ReadOnlySpan<byte> data)
    {
        for (var i = data.Length - 2; i >= 2; i--)
        {
            if (data[i] != 0xFF)
            {
                continue;
            }

            if (data[i + 1] == 0xD9)
            {
                return null;
            }

            if (data[i + 1] == 0xDA)
            {
                break;
            }
        }

        return "JPEG has no end-of-image marker (FFD9) after its last scan: the file is truncated";
    }

    // Walks the chunk list (headers only) up to IEND.
    private static string? CheckPng(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 16 && !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return null; // not a PNG chunk list at all: the decoder calls it corrupt
        }

        long offset = 8;
        while (offset + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice((int)offset, 4));
            var type = data.Slice((int)offset + 4, 4);
            var end = offset + 12 + length;
            if (end > data.Length)
            {
                return $"PNG chunk '{System.Text.Encoding.ASCII.GetString(type)}' at byte {offset} declares {length} bytes but the file ends first: the file is truncated";
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return null;
            }

            offset = end;
        }

        return "PNG has no IEND chunk: the file is truncated";
    }

    private static string? CheckGif(ReadOnlySpan<byte> data)
    {
        var trimmed = data.TrimEnd((byte)0);
        return trimmed.Length > 0 && trimmed[^1] == 0x3B
            ? null
            : "GIF has no trailer byte (0x3B): the file is truncated";
    }

    private static string? CheckWebP(ReadOnlySpan<byte> data)
    {
        var declared = (long)BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(4, 4)) + 8;
        return declared <= data.Length
            ? null
            : $"WebP RIFF header declares {declared} bytes but the file has {data.Length}: the file is truncated";
    }

    // Some writers leave the size field zero; only a declared size is checked.
    private static string? CheckBmp(ReadOnlySpan<byte> data)
    {
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(2, 4));
        return declared == 0 || declared <= data.Length
            ? null
            : $"BMP header declares {declared} bytes but the file has {data.Length}: the file is truncated";
    }
}

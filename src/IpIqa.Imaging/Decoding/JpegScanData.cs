using System.Buffers.Binary;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// Checks that a Huffman-coded JPEG carries enough entropy-coded bytes to cover the frame its header
/// declares, before a frame is allocated. Every MCU codes at least one Huffman symbol of at least one
/// bit in the first scan that reaches it, so fewer bits than MCUs cannot be a whole image.
/// </summary>
internal static class JpegScanData
{
    public static string? FindProblem(ReadOnlySpan<byte> data)
    {
        var offset = 2;
        int width = 0, height = 0, maxH = 0, maxV = 0;
        while (offset + 4 <= data.Length)
        {
            if (data[offset] != 0xFF)
            {
                return null; // not a marker where one must be: the decoder reports it
            }

            var marker = data[offset + 1];
            if (marker == 0xFF)
            {
                offset++; // fill byte
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                offset += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 2, 2));
            var segment = offset + 4;
            if (marker is 0xC0 or 0xC1 or 0xC2 && segment + 6 <= data.Length)
            {
                height = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(segment + 1, 2));
                width = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(segment + 3, 2));
                for (int c = 0, count = data[segment + 5]; c < count && segment + 8 + (3 * c) <= data.Length; c++)
                {
                    var sampling = data[segment + 7 + (3 * c)];
                    maxH = Math.Max(maxH, sampling >> 4);
                    maxV = Math.Max(maxV, sampling & 0x0F);
                }
            }
            else if (marker is >= 0xC3 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return null; // lossless or arithmetic coding: no such bound
            }

            if (marker == 0xDA)
            {
                return Check(data.Length - (offset + 2 + length), width, height, maxH, maxV);
            }

            offset += 2 + length;
        }

        return null;
    }

    private static string? Check(long entropyBytes, int width, int height, int maxH, int maxV)
    {
        if (width == 0 || height == 0 || maxH is < 1 or > 4 || maxV is < 1 or > 4)
        {
            return null;
        }

        var mcus = (long)((width + (8 * maxH) - 1) / (8 * maxH)) * ((height + (8 * maxV) - 1) / (8 * maxV));
        return entropyBytes * 8 < mcus
            ? $"JPEG declares {width}×{height} pixels ({mcus} MCUs, each at least one bit) but has {Math.Max(entropyBytes, 0)} bytes of scan data: the file is truncated"
            : null;
    }
}

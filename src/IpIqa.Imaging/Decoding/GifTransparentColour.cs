namespace IpIqa.Imaging.Decoding;

/// <summary>
/// The palette colour behind a GIF's transparent index. Pillow opens the first GIF frame as a
/// palette image and <c>convert("RGB")</c> shows transparent pixels in that colour; ImageSharp
/// returns them as transparent black, so the decoder paints them back with it.
/// </summary>
internal static class GifTransparentColour
{
    private const byte ExtensionIntroducer = 0x21;
    private const byte GraphicControlLabel = 0xF9;
    private const byte ImageSeparator = 0x2C;

    /// <summary>Null when the first frame has no transparent index, or the header cannot be read.</summary>
    public static (byte R, byte G, byte B)? Find(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 13)
        {
            return null;
        }

        var globalTable = TableLength(gif[10]);
        var globalStart = 13;
        var offset = globalStart + globalTable;
        int? transparentIndex = null;
        while (offset + 1 < gif.Length)
        {
            if (gif[offset] == ExtensionIntroducer)
            {
                if (gif[offset + 1] == GraphicControlLabel && offset + 6 < gif.Length && gif[offset + 2] == 4)
                {
                    transparentIndex = (gif[offset + 3] & 1) != 0 ? gif[offset + 6] : null;
                }

                offset = SkipSubBlocks(gif, offset + 2);
                continue;
            }

            if (gif[offset] != ImageSeparator || offset + 9 >= gif.Length)
            {
                return null;
            }

            var localTable = TableLength(gif[offset + 9]);
            var (tableStart, tableLength) = localTable > 0 ? (offset + 10, localTable) : (globalStart, globalTable);
            if (transparentIndex is not { } index || (index * 3) + 3 > tableLength || tableStart + tableLength > gif.Length)
            {
                return null;
            }

            var colour = gif.Slice(tableStart + (index * 3), 3);
            return (colour[0], colour[1], colour[2]);
        }

        return null;
    }

    // Bit 7 flags a colour table of 2^(1 + (bits 0-2)) RGB entries.
    private static int TableLength(byte packed) => (packed & 0x80) != 0 ? 3 * (1 << (1 + (packed & 7))) : 0;

    private static int SkipSubBlocks(ReadOnlySpan<byte> gif, int offset)
    {
        while (offset < gif.Length && gif[offset] != 0)
        {
            offset += gif[offset] + 1;
        }

        return offset + 1;
    }
}

namespace IpIqa.Imaging.Decoding;

/// <summary>Recognises an encoded format from its signature. Anything else is refused before a decoder sees it.</summary>
internal static class FormatSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static EncodedFormat Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return EncodedFormat.Jpeg;
        }

        if (data.StartsWith(PngSignature))
        {
            return EncodedFormat.Png;
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return EncodedFormat.Gif;
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return EncodedFormat.WebP;
        }

        if (data.Length >= 14 && data.StartsWith("BM"u8))
        {
            return EncodedFormat.Bmp;
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return EncodedFormat.Tiff;
        }

        return EncodedFormat.Unknown;
    }
}

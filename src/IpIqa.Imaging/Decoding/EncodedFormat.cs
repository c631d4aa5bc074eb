namespace IpIqa.Imaging.Decoding;

/// <summary>The encoded formats the preprocessor accepts, recognised from their leading bytes.</summary>
internal enum EncodedFormat
{
    Unknown = 0,
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
}

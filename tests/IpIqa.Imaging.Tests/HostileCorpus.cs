using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Imaging.Tests;

/// <summary>Valid and damaged files made on the fly, so no binary has to be committed.</summary>
internal static class HostileCorpus
{
    public static byte[] Encode(IImageEncoder encoder, int width = 64, int height = 48, Func<int, int, Rgba32>? pixel = null)
    {
        pixel ??= (x, y) => new Rgba32((byte)(x * 4), (byte)(y * 5), (byte)((x ^ y) * 3), 255);
        using var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = pixel(x, y);
            }
        }

        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }

    public static byte[] Jpeg(int width = 64, int height = 48) => Encode(new JpegEncoder { Quality = 90 }, width, height);

    /// <summary>A JPEG whose EXIF orientation tag says "rotate 90° clockwise to display".</summary>
    public static byte[] JpegRotatedByExif(int width, int height)
    {
        using var image = new Image<Rgba32>(width, height);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 90 });
        return output.ToArray();
    }

    public static byte[] Png(int width = 64, int height = 48) => Encode(new PngEncoder(), width, height);

    public static byte[] WebP() => Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });

    public static byte[] Gif() => Encode(new GifEncoder());

    public static byte[] Bmp() => Encode(new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });

    public static byte[] Truncate(byte[] data, double keep) => data.AsSpan(0, (int)(data.Length * keep)).ToArray();

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>A well-formed PNG whose IHDR claims the given size over a one-row IDAT.</summary>
    public static byte[] PngBomb(int width, int height) =>
        PngBuilder.Build(width, height, 8, 0, [new byte[Math.Min(width, 1024)]]);

    /// <summary>A JPEG whose frame header (SOF0) claims another size.</summary>
    public static byte[] JpegWithClaimedSize(int width, int height)
    {
        var data = Jpeg();
        for (var i = 2; i + 9 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                data[i + 5] = (byte)(height >> 8);
                data[i + 6] = (byte)height;
                data[i + 7] = (byte)(width >> 8);
                data[i + 8] = (byte)width;
                return data;
            }
        }

        throw new InvalidOperationException("The encoded JPEG has no SOF marker.");
    }
}

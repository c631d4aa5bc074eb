using System.Buffers.Binary;

namespace IpIqa.Imaging.Tests;

/// <summary>Writes an animated WebP (VP8X, ANIM, one ANMF per frame) from still WebP files, so no binary has to be committed.</summary>
internal static class AnimatedWebPBuilder
{
    public static byte[] Build(int canvasWidth, int canvasHeight, params (byte[] Still, int Width, int Height, int X, int Y)[] frames)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        var vp8x = new byte[10];
        vp8x[0] = 0x02 | 0x10; // animation, alpha
        WriteUInt24(vp8x, 4, canvasWidth - 1);
        WriteUInt24(vp8x, 7, canvasHeight - 1);
        WriteChunk(body, "VP8X", vp8x);
        WriteChunk(body, "ANIM", [0xFF, 0xFF, 0xFF, 0xFF, 0, 0]); // white background (libwebp ignores it), loop forever
        foreach (var (still, width, height, x, y) in frames)
        {
            using var frame = new MemoryStream();
            var header = new byte[16];
            WriteUInt24(header, 0, x / 2);
            WriteUInt24(header, 3, y / 2);
            WriteUInt24(header, 6, width - 1);
            WriteUInt24(header, 9, height - 1);
            WriteUInt24(header, 12, 100);
            header[15] = 0x02; // do not blend
            frame.Write(header);
            frame.Write(FrameChunks(still));
            WriteChunk(body, "ANMF", frame.ToArray());
        }

        using var output = new MemoryStream();
        output.Write("RIFF"u8);
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        output.Write(size);
        body.WriteTo(output);
        return output.ToArray();
    }

    /// <summary>A still file's chunks after <c>WEBP</c>, without its VP8X header.</summary>
    private static byte[] FrameChunks(byte[] still)
    {
        var offset = 12;
        if (still.AsSpan(12, 4).SequenceEqual("VP8X"u8))
        {
            offset += 8 + 10;
        }

        return still[offset..];
    }

    private static void WriteChunk(Stream output, string type, byte[] payload)
    {
        output.Write(System.Text.Encoding.ASCII.GetBytes(type));
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)payload.Length);
        output.Write(size);
        output.Write(payload);
        if (payload.Length % 2 == 1)
        {
            output.WriteByte(0);
        }
    }

    private static void WriteUInt24(byte[] data, int offset, int value)
    {
        data[offset] = (byte)value;
        data[offset + 1] = (byte)(value >> 8);
        data[offset + 2] = (byte)(value >> 16);
    }
}

using System.Buffers.Binary;
using IpIqa.Core.Errors;

namespace IpIqa.Imaging.Decoding;

/// <summary>
/// The first frame of an animated WebP, as the reference renders it (Pillow over libwebp's
/// <c>WebPAnimDecoder</c>): a canvas of the declared size cleared to transparent black, frame 0 decoded
/// into it at its offset without blending (the first frame is a key frame), then alpha dropped.
/// The frame is rewrapped as a still WebP, so the still decoders (libwebp or ImageSharp) decode it.
/// </summary>
internal static class AnimatedWebP
{
    private const byte AnimationFlag = 0x02;
    private const byte AlphaFlag = 0x10;
    private const int FrameHeaderBytes = 16;

    /// <summary>True for a VP8X file that declares animation; <paramref name="width"/> and <paramref name="height"/> are its canvas.</summary>
    public static bool IsAnimated(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        if (data.Length < 30 || !data.Slice(12, 4).SequenceEqual("VP8X"u8) || (data[20] & AnimationFlag) == 0)
        {
            return false;
        }

        width = ReadUInt24(data[24..]) + 1;
        height = ReadUInt24(data[27..]) + 1;
        return true;
    }

    /// <summary>Frame 0 on the canvas; <paramref name="decodeStill"/> decodes the frame rewrapped as a still file.</summary>
    public static RgbxImage DecodeFirstFrame(ReadOnlySpan<byte> data, int canvasWidth, int canvasHeight, Func<byte[], RgbxImage> decodeStill)
    {
        var frame = FindFirstFrame(data);
        var x = ReadUInt24(frame) * 2;
        var y = ReadUInt24(frame[3..]) * 2;
        var width = ReadUInt24(frame[6..]) + 1;
        var height = ReadUInt24(frame[9..]) + 1;
        if ((long)x + width > canvasWidth || (long)y + height > canvasHeight)
        {
            throw new IpIqaException(ErrorCodes.ImageUndecodable, $"The first WebP frame ({width}×{height} at {x},{y}) does not fit the {canvasWidth}×{canvasHeight} canvas.");
        }

        using var still = decodeStill(Still(frame[FrameHeaderBytes..], width, height));
        if (still.Width != width || still.Height != height)
        {
            throw new IpIqaException(ErrorCodes.ImageUndecodable, $"The first WebP frame declares {width}×{height} but its bitstream is {still.Width}×{still.Height}.");
        }

        var canvas = new RgbxImage(canvasWidth, canvasHeight);
        canvas.Pixels.Clear();
        for (var row = 0; row < height; row++)
        {
            still.Row(row).CopyTo(canvas.Row(y + row)[(x * 4)..]);
        }

        return canvas;
    }

    /// <summary>The payload of the first ANMF chunk (frame header, then the frame's own chunks).</summary>
    private static ReadOnlySpan<byte> FindFirstFrame(ReadOnlySpan<byte> data)
    {
        var body = data[12..];
        foreach (var (typeAt, payloadAt, size) in Chunks(body))
        {
            var payload = body.Slice(payloadAt, size);
            if (body.Slice(typeAt, 4).SequenceEqual("ANMF"u8))
            {
                return payload.Length > FrameHeaderBytes
                    ? payload
                    : throw new IpIqaException(ErrorCodes.ImageUndecodable, $"The first WebP frame chunk has {payload.Length} bytes, too few for a frame.");
            }
        }

        throw new IpIqaException(ErrorCodes.ImageUndecodable, "The animated WebP has no frame (ANMF chunk).");
    }

    /// <summary>A still WebP of the frame's ALPH, VP8 and VP8L chunks, behind a VP8X header when it has an alpha chunk.</summary>
    private static byte[] Still(ReadOnlySpan<byte> frameChunks, int width, int height)
    {
        using var body = new MemoryStream();
        var alpha = false;
        foreach (var (typeAt, payloadAt, size) in Chunks(frameChunks))
        {
            var type = frameChunks.Slice(typeAt, 4);
            var payload = frameChunks.Slice(payloadAt, size);
            if (type.SequenceEqual("ALPH"u8) || type.SequenceEqual("VP8 "u8) || type.SequenceEqual("VP8L"u8))
            {
                alpha |= type.SequenceEqual("ALPH"u8);
                WriteChunk(body, type, payload);
            }
        }

        using var output = new MemoryStream();
        output.Write("RIFF\0\0\0\0WEBP"u8);
        if (alpha)
        {
            Span<byte> header = stackalloc byte[10];
            header.Clear();
            header[0] = AlphaFlag;
            WriteUInt24(header[4..], width - 1);
            WriteUInt24(header[7..], height - 1);
            WriteChunk(output, "VP8X"u8, header);
        }

        body.WriteTo(output);
        var file = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        return file;
    }

    /// <summary>Where each chunk's type (4 bytes) and payload lie in <paramref name="data"/>; headers only are read.</summary>
    private static List<(int Type, int Payload, int Size)> Chunks(ReadOnlySpan<byte> data)
    {
        var chunks = new List<(int, int, int)>();
        var offset = 0;
        while (offset + 8 <= data.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(offset + 4, 4));
            if (size > (uint)(data.Length - offset - 8))
            {
                throw new IpIqaException(ErrorCodes.ImageTruncated, $"A WebP '{System.Text.Encoding.ASCII.GetString(data.Slice(offset, 4))}' chunk declares {size} bytes but the file ends first: the file is truncated");
            }

            chunks.Add((offset, offset + 8, (int)size));
            offset += 8 + (int)size + (int)(size & 1);
        }

        return chunks;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload)
    {
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)payload.Length);
        output.Write(type);
        output.Write(size);
        output.Write(payload);
        if ((payload.Length & 1) == 1)
        {
            output.WriteByte(0);
        }
    }

    private static int ReadUInt24(ReadOnlySpan<byte> data) => data[0] | (data[1] << 8) | (data[2] << 16);

    private static void WriteUInt24(Span<byte> data, int value)
    {
        data[0] = (byte)value;
        data[1] = (byte)(value >> 8);
        data[2] = (byte)(value >> 16);
    }
}

using System.Buffers.Binary;
using System.Text;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Weights;

public sealed class SafetensorsReaderTests
{
    [Fact]
    public void F32_and_I64_tensors_are_read_with_their_shapes_and_values()
    {
        var data = new byte[(6 * 4) + 8];
        for (var i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), i * 0.5f);
        }

        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(24), 42);
        var file = Build("""{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"n":{"dtype":"I64","shape":[],"data_offsets":[24,32]}}""", data);

        var tensors = SafetensorsReader.Parse(file, "test.safetensors");

        Assert.Equal(2, tensors.Count);
        Assert.Equal([2L, 3L], tensors["w"].Shape);
        Assert.Equal([0f, 0.5f, 1f, 1.5f, 2f, 2.5f], tensors["w"].Floats.ToArray());
        Assert.Equal(TensorElementType.Int64, tensors["n"].ElementType);
        Assert.Equal(42L, BinaryPrimitives.ReadInt64LittleEndian(tensors["n"].Bytes));
    }

    [Fact]
    public void F16_and_BF16_tensors_are_widened_to_float32()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteHalfLittleEndian(data, (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2), (Half)(-2f));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), (ushort)(BitConverter.SingleToInt32Bits(3.0f) >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), (ushort)(BitConverter.SingleToInt32Bits(-0.25f) >> 16));
        var file = Build("""{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}""", data);

        var tensors = SafetensorsReader.Parse(file, "half.safetensors");

        Assert.Equal([1.5f, -2f], tensors["h"].Floats.ToArray());
        Assert.Equal([3f, -0.25f], tensors["b"].Floats.ToArray());
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,400]}}""", "'w' has data_offsets [0, 400]")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,24]}}""", "'w' (F32, shape [2, 2])")]
    [InlineData("""{"w":{"dtype":"U8","shape":[24],"data_offsets":[0,24]}}""", "'w' has dtype U8")]
    [InlineData("""{"w":{"shape":[6],"data_offsets":[0,24]}}""", "'w' needs dtype, shape and data_offsets")]
    [InlineData("""{"w": [1, 2""", "invalid safetensors JSON header")]
    [InlineData("""[1, 2]""", "header is not a JSON object")]
    public void Malformed_header_fails_naming_the_problem(string header, string expected)
    {
        var file = Build(header, new byte[24]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Parse(file, "bad.safetensors"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_file_and_oversized_header_length_fail_clearly()
    {
        var tooShort = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Parse(new byte[5], "short.safetensors"));
        Assert.Contains("fewer than the 8-byte header length", tooShort.Message, StringComparison.Ordinal);

        var file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);
        var oversized = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Parse(file, "long.safetensors"));
        Assert.Contains("header length 1000 does not fit", oversized.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_fails_naming_the_path()
    {
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read("/nonexistent/weights.safetensors"));

        Assert.Contains("/nonexistent/weights.safetensors", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Build(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }
}

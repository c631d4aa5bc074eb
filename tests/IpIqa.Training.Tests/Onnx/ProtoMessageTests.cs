using IpIqa.Training.Onnx.Protobuf;

namespace IpIqa.Training.Tests.Onnx;

public sealed class ProtoMessageTests
{
    [Theory]
    [InlineData(1L, new byte[] { 0x08, 0x01 })]
    [InlineData(300L, new byte[] { 0x08, 0xAC, 0x02 })]
    [InlineData(-1L, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Int64_field_is_a_tagged_varint(long value, byte[] expected)
    {
        Assert.Equal(expected, new ProtoMessage().Int64(1, value).ToArray());
    }

    [Fact]
    public void Float_is_fixed32_little_endian_and_string_is_length_delimited()
    {
        var bytes = new ProtoMessage().Float(2, 1.0f).String(3, "ab").ToArray();

        Assert.Equal(new byte[] { 0x15, 0x00, 0x00, 0x80, 0x3F, 0x1A, 0x02, (byte)'a', (byte)'b' }, bytes);
    }

    [Fact]
    public void Nested_message_and_external_bytes_carry_their_lengths()
    {
        var child = new ProtoMessage().Int64(1, 150);
        var payload = new byte[200];
        payload[0] = 7;
        payload[199] = 9;

        var message = new ProtoMessage().Message(7, child).Bytes(9, payload);
        var bytes = message.ToArray();

        Assert.Equal(message.Length, bytes.Length);
        Assert.Equal(new byte[] { 0x3A, 0x03, 0x08, 0x96, 0x01, 0x4A, 0xC8, 0x01 }, bytes[..8]);
        Assert.Equal(7, bytes[8]);
        Assert.Equal(9, bytes[^1]);
    }

    [Fact]
    public void High_field_numbers_use_multi_byte_tags()
    {
        // AttributeProto.type is field 20: tag (20 << 3) | 0 = 160 = 0xA0 0x01.
        Assert.Equal(new byte[] { 0xA0, 0x01, 0x07 }, new ProtoMessage().Int64(20, 7).ToArray());
    }
}

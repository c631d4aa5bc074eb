using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Weights;

public sealed class WeightSetTests
{
    private static readonly WeightSet Weights = new(
        new Dictionary<string, TensorData>
        {
            ["head.dense.weight"] = TensorData.FromFloats(new float[6], 2, 3),
            ["head.dense.bias"] = TensorData.FromFloats(new float[2], 2),
            ["bn.num_batches_tracked"] = TensorData.FromInt64s([3L]),
        },
        "model.safetensors");

    [Fact]
    public void Matching_key_and_shape_returns_the_tensor()
    {
        Assert.Equal([2L, 3L], Weights.Require("head.dense.weight", 2, 3).Shape);
    }

    [Fact]
    public void Missing_key_fails_naming_the_key_the_shape_and_the_neighbouring_keys()
    {
        var error = Assert.Throws<InvalidDataException>(() => Weights.Require("head.dense.scale", 2));

        Assert.Contains("'head.dense.scale' is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("head.dense.weight", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("model.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_shape_fails_naming_both_shapes()
    {
        var error = Assert.Throws<InvalidDataException>(() => Weights.Require("head.dense.weight", 3, 2));

        Assert.Contains("'head.dense.weight' has shape [2, 3]; the architecture needs [3, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integer_tensor_where_floats_are_needed_fails_naming_the_type()
    {
        var error = Assert.Throws<InvalidDataException>(() => Weights.Require("bn.num_batches_tracked"));

        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_byte_count_must_match_its_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new TensorData(TensorElementType.Float32, [2, 2], new byte[12]));

        Assert.Contains("needs 16 bytes, got 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float_arrays_are_wrapped_without_a_copy()
    {
        var data = new float[] { 1f, 2f, 3f, 4f };
        var weights = WeightSet.FromFloatArrays(new Dictionary<string, (float[], long[])> { ["w"] = (data, [2, 2]) }, "state dict");

        data[3] = 9f;

        Assert.Equal(9f, weights.Require("w", 2, 2).Floats[3]);
        Assert.Equal(16, weights.Require("w", 2, 2).Bytes.Length);
    }

    [Fact]
    public void Float_array_whose_length_disagrees_with_its_shape_fails_naming_the_key()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            WeightSet.FromFloatArrays(new Dictionary<string, (float[], long[])> { ["attnpool.c_proj.bias"] = (new float[3], [4]) }, "state dict"));

        Assert.Contains("'attnpool.c_proj.bias'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4]", error.Message, StringComparison.Ordinal);
    }
}

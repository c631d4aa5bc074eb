using System.Collections;
using IpIqa.Training.Import;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Import;

public sealed class CheckpointReaderTests
{
    [Theory]
    [InlineData("model")]
    [InlineData("state_dict")]
    public void WrappedStateDict_IsUnwrapped_AndNonTensorsDropped(string wrapper)
    {
        using var scope = NewDisposeScope();
        var inner = new Hashtable { ["head.weight"] = ones(2, 4), ["head.bias"] = zeros(2) };
        var root = new Hashtable { [wrapper] = inner, ["epoch"] = 12, ["optimizer"] = new Hashtable() };

        var weights = CheckpointReader.Flatten(root, "wrapped.pt");

        Assert.Equal(["head.bias", "head.weight"], weights.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PickleWithoutTensors_IsRefusedListingItsKeys()
    {
        var root = new Hashtable { ["epoch"] = 3 };

        var error = Assert.Throws<CheckpointException>(() => CheckpointReader.Flatten(root, "empty.pt"));

        Assert.Contains("no tensors found", error.Message, StringComparison.Ordinal);
        Assert.Contains("epoch", error.Message, StringComparison.Ordinal);
    }
}

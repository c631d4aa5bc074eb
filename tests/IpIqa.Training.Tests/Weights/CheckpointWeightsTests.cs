using System.Buffers.Binary;
using System.Text;
using IpIqa.TestSupport;
using IpIqa.Training.Import;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Weights;

/// <summary>The export's weights, read from checkpoints by the same loader as <c>import</c>.</summary>
public sealed class CheckpointWeightsTests : IDisposable
{
    private readonly TempDirectory _temp = new("checkpoint-weights");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Float32Int64AndHalfTensorsAreReadWithTheirShapesAndValues()
    {
        var path = _temp.Combine("w.safetensors");
        using (var w = tensor(new[] { 0f, 0.5f, 1f, 1.5f, 2f, 2.5f }).reshape(2, 3))
        using (var n = tensor(42L))
        using (var h = tensor(new[] { 1.5f, -2f }).to(ScalarType.Float16))
        using (var b = tensor(new[] { 3f, -0.25f }).to(ScalarType.BFloat16))
        using (var file = File.Create(path))
        {
            Safetensors.SaveStateDict(file, new Dictionary<string, Tensor> { ["w"] = w, ["n"] = n, ["h"] = h, ["b"] = b });
        }

        var weights = CheckpointWeights.Read(path);

        Assert.Equal([2L, 3L], weights.Tensors["w"].Shape);
        Assert.Equal([0f, 0.5f, 1f, 1.5f, 2f, 2.5f], weights.Tensors["w"].Floats.ToArray());
        Assert.Equal(TensorElementType.Int64, weights.Tensors["n"].ElementType);
        Assert.Equal(42L, BinaryPrimitives.ReadInt64LittleEndian(weights.Tensors["n"].Bytes));
        Assert.Equal([1.5f, -2f], weights.Tensors["h"].Floats.ToArray());
        Assert.Equal([3f, -0.25f], weights.Tensors["b"].Floats.ToArray());
        Assert.Equal("w.safetensors", weights.Source);
    }

    [FixtureFact("ipiqa-reference/ipiqa.pt", ReferenceModel.Safetensors)]
    public void TheOfficialTorchSaveArchiveGivesTheSameWeightsAsItsSafetensorsCopy()
    {
        var fromPt = CheckpointWeights.Read(Fixtures.PathOf("ipiqa-reference/ipiqa.pt"));
        var fromSafetensors = CheckpointWeights.Read(Fixtures.PathOf(ReferenceModel.Safetensors));

        Assert.Equal(fromSafetensors.Tensors.Keys.Order(), fromPt.Tensors.Keys.Order());
        foreach (var (name, expected) in fromSafetensors.Tensors)
        {
            Assert.Equal(expected.Shape, fromPt.Tensors[name].Shape);
            Assert.True(expected.Bytes.SequenceEqual(fromPt.Tensors[name].Bytes), $"tensor {name} differs");
        }
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,400]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,24]}}""")]
    [InlineData("""{"w":{"shape":[6],"data_offsets":[0,24]}}""")]
    [InlineData("""{"w": [1, 2""")]
    public void AMalformedSafetensorsFileIsACheckpointErrorNamingTheFile(string header)
    {
        var path = _temp.Combine("bad.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + 24];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        File.WriteAllBytes(path, file);

        var error = Assert.Throws<CheckpointException>(() => CheckpointWeights.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingOrNonCheckpointFileFailsNamingThePath()
    {
        var missing = Assert.Throws<CheckpointException>(() => CheckpointWeights.Read("/nonexistent/weights.safetensors"));
        Assert.Contains("/nonexistent/weights.safetensors", missing.Message, StringComparison.Ordinal);

        var text = _temp.Combine("notes.txt");
        File.WriteAllText(text, "not weights");
        var notCheckpoint = Assert.Throws<CheckpointException>(() => CheckpointWeights.Read(text));
        Assert.Contains("not a checkpoint", notCheckpoint.Message, StringComparison.Ordinal);
    }
}

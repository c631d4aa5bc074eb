using IpIqa.TestSupport;
using IpIqa.Training.Import;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Import;

public sealed class StateDictExportTests
{
    [FixtureFact(Reference.Manifest, Reference.IpIqaSafetensors)]
    public void FloatArrays_HoldEveryFloatKeyWithItsShapeAndValues()
    {
        using var scope = NewDisposeScope();
        using var imported = new CheckpointImporter().Import(Reference.PathOf(Reference.IpIqaSafetensors), CheckpointFormat.IpIqa, Reference.Config());
        var source = CheckpointReader.Read(Reference.PathOf(Reference.IpIqaSafetensors));

        var arrays = StateDictExport.ToFloatArrays(imported.Model);

        var floatKeys = source.Where(kv => kv.Value.is_floating_point()).Select(kv => kv.Key).Order(StringComparer.Ordinal);
        Assert.Equal(floatKeys, arrays.Keys);
        var (data, shape) = arrays["txt_attnpool.cross_attn.q_proj.weight"];
        Assert.Equal(source["txt_attnpool.cross_attn.q_proj.weight"].shape, shape);
        Assert.Equal(source["txt_attnpool.cross_attn.q_proj.weight"].data<float>().ToArray(), data);
    }
}

using IpIqa.Model;

namespace IpIqa.Training.Tests;

public sealed class ArchitectureConversionTests
{
    [Fact]
    public void ConfigToBundleAndBack_IsLossless()
    {
        var config = IpIqaConfig.Rn50 with { InputResolution = 320, Head = "mlp", TextFeature = "qa_token", TxtPoolHeads = 16 };

        var roundTrip = ArchitectureConversion.FromBundle(ArchitectureConversion.ToBundle(config));

        Assert.Equal(config.ToJson(), roundTrip.ToJson());
    }

    [Fact]
    public void BundleWithUnknownHead_IsRejectedNamingTheField()
    {
        var bundle = ArchitectureConversion.ToBundle(IpIqaConfig.Rn50) with { Head = "transformer" };

        var error = Assert.Throws<InvalidDataException>(() => ArchitectureConversion.FromBundle(bundle));

        Assert.Contains("head = transformer", error.Message, StringComparison.Ordinal);
    }
}

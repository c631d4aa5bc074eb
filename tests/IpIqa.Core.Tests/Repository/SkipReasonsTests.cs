using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Repository;

/// <summary>CI accepts only skips marked by design; a missing fixture must never look like one (#18).</summary>
public sealed class SkipReasonsTests
{
    [Fact]
    public void ADesignedSkip_StartsWithThePrefixCiAccepts()
    {
        var reason = SkipReasons.ByDesign("this build has no CUDA execution provider.");

        Assert.Equal("By design: this build has no CUDA execution provider.", reason);
    }

    [Fact]
    public void ADesignedSkipWithoutAReason_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => SkipReasons.ByDesign(" "));
    }

    [Fact]
    public void AMissingFixture_IsNotADesignedSkip()
    {
        var reason = Fixtures.MissingReason("no-such-folder/no-such-file.f32");

        Assert.NotNull(reason);
        Assert.Contains("no-such-folder/no-such-file.f32", reason, StringComparison.Ordinal);
        Assert.False(reason.StartsWith(SkipReasons.ByDesignPrefix, StringComparison.Ordinal), reason);
    }
}

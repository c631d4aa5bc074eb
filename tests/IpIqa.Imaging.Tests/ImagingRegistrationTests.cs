using IpIqa.Core.Imaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IpIqa.Imaging.Tests;

public sealed class ImagingRegistrationTests
{
    [Fact]
    public void AddIpIqaImaging_ResolvesOneSharedPreprocessor()
    {
        using var provider = new ServiceCollection().AddIpIqaImaging().BuildServiceProvider();
        var first = provider.GetRequiredService<IImagePreprocessor>();
        Assert.IsType<ImagePreprocessor>(first);
        Assert.Same(first, provider.GetRequiredService<IImagePreprocessor>());
    }

    [Fact]
    public void AddIpIqaImaging_AppliesConfiguredLimits()
    {
        using var provider = new ServiceCollection()
            .AddIpIqaImaging(o => o.Limits = new ImageLimits { MaxBytes = 10 })
            .BuildServiceProvider();
        var error = Assert.Throws<Core.Errors.IpIqaException>(() =>
            provider.GetRequiredService<IImagePreprocessor>().Preprocess(HostileCorpus.Png(), ClipNormalisation.Spec(8), new float[3 * 8 * 8]));
        Assert.Equal(Core.Errors.ErrorCodes.ImageTooLarge, error.Code);
    }

    [Fact]
    public void InvalidLimits_FailValidationWithTheOffendingValues()
    {
        using var provider = new ServiceCollection()
            .AddIpIqaImaging(o => o.Limits = new ImageLimits { MaxBytes = 0, MaxPixels = 1_000_000_000, MaxDecoderMemoryMegabytes = 64 })
            .BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImagingOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("MaxBytes", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("1000000000", StringComparison.Ordinal) && f.Contains("64", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultLimits_PassValidation()
    {
        var result = new ImagingOptionsValidator().Validate(null, new ImagingOptions());
        Assert.True(result.Succeeded, result.FailureMessage);
    }
}

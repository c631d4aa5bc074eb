using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;

namespace IpIqa.Imaging.Tests;

public sealed class PixelBudgetTests
{
    [Fact]
    public void AnImageLargerThanTheWholeBudget_IsTooLarge_BeforeDecoding()
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions { Limits = new ImageLimits { MaxPixelsInFlight = (64 * 48) - 1 } });
        var spec = ClipNormalisation.Spec(8);

        var error = Assert.Throws<IpIqaException>(() => preprocessor.Preprocess(HostileCorpus.Png(64, 48), spec, new float[spec.TensorLength]));

        Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
        Assert.Contains("MaxPixelsInFlight", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, preprocessor.Budget.Peak);
    }

    [Fact]
    public void SixteenImagesAtParallelismEight_WaitForRoom_AndNeverHoldMoreThanTheBudget()
    {
        const int pixels = 300 * 200;
        var preprocessor = new ImagePreprocessor(new ImagingOptions { Limits = new ImageLimits { MaxPixelsInFlight = (pixels * 5) / 2 } });
        var png = HostileCorpus.Png(300, 200);
        var spec = ClipNormalisation.Spec(8);

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => preprocessor.Preprocess(png, spec, new float[spec.TensorLength]));

        Assert.InRange(preprocessor.Budget.Peak, pixels, preprocessor.Budget.Capacity);
        Assert.Equal(0, preprocessor.Budget.InUse);
    }

    [Fact]
    public async Task ALargeRequest_IsServedBeforeSmallerOnesThatArriveAfterIt()
    {
        var budget = new PixelBudget(10);
        var first = budget.Acquire(6);
        var order = new List<string>();
        var large = Task.Factory.StartNew(() => Take(budget, 10, "large", order), TaskCreationOptions.LongRunning);
        Assert.True(SpinWait.SpinUntil(() => budget.Waiting == 1, TimeSpan.FromSeconds(30)));
        var small = Task.Factory.StartNew(() => Take(budget, 1, "small", order), TaskCreationOptions.LongRunning);
        Assert.True(SpinWait.SpinUntil(() => budget.Waiting == 2, TimeSpan.FromSeconds(30)));

        first.Dispose();
        await Task.WhenAll(large, small);

        Assert.Equal(["large", "small"], order);
    }

    [Theory]
    [InlineData(4L << 30, (2L << 30) / PixelBudget.BytesPerPixel)]
    [InlineData(0, (2L << 30) / PixelBudget.BytesPerPixel)]
    [InlineData(512L << 20, (256L << 20) / PixelBudget.BytesPerPixel)]
    public void TheDefaultBudget_IsHalfTheAvailableMemory(long available, long expected) =>
        Assert.Equal(expected, PixelBudget.DefaultCapacity(available));

    [Fact]
    public void TheDefaultBudget_FollowsTheMemoryTheGcMayUse()
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions());

        Assert.Equal(PixelBudget.DefaultCapacity(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes), preprocessor.Budget.Capacity);
    }

    private static void Take(PixelBudget budget, long pixels, string name, List<string> order)
    {
        using var lease = budget.Acquire(pixels);
        lock (order)
        {
            order.Add(name);
        }
    }
}

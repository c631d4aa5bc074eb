using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>The storage request cap of <c>ipiqa rescore --requests-per-second</c>.</summary>
public sealed class RequestPacerTests
{
    [Fact]
    public async Task ACapHoldsRequestsBackToItsRate()
    {
        // 100/s allows a burst of 5 (50 ms at the full rate), then 5 more each refill period. The bucket is
        // refilled by hand, so the test counts the requests each refill lets through instead of timing them.
        // A refill adds the tokens accrued since the last one, at most the bucket's 5: waiting two periods
        // before each makes it exactly 5 however late a starved thread pool wakes the test. An uncapped
        // pacer lets all 25 through at once.
        using var pacer = new RequestPacer(100, autoReplenish: false);

        var waits = Enumerable.Range(0, 25).Select(_ => pacer.WaitAsync(CancellationToken.None)).ToArray();

        for (var through = 5; through <= waits.Length; through += 5)
        {
            // The first 'through' requests (queued oldest first) are let through; the others wait for a refill.
            await Task.WhenAll(waits[..through]).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(waits[through..], w => Assert.False(w.IsCompleted, $"a request beyond the {through} that the refills allow went through"));
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            Assert.True(pacer.Replenish());
        }

        Assert.Equal(25, pacer.Taken);
    }

    [Fact]
    public async Task WithoutACapNothingWaitsAndRequestsAreStillCounted()
    {
        using var pacer = new RequestPacer(0);

        var waits = Enumerable.Range(0, 1000).Select(_ => pacer.WaitAsync(CancellationToken.None)).ToArray();

        Assert.All(waits, w => Assert.True(w.IsCompletedSuccessfully));
        await Task.WhenAll(waits);
        Assert.Equal(1000, pacer.Taken);
    }

    [Fact]
    public async Task AWaitingRequestIsCancelled()
    {
        using var pacer = new RequestPacer(1);
        await pacer.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = pacer.WaitAsync(cancel.Token);
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ANegativeOrNonFiniteCapIsRefused(double requestsPerSecond) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestPacer(requestsPerSecond));
}

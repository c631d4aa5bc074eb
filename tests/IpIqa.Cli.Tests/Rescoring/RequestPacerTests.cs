using System.Diagnostics;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>The storage request cap of <c>ipiqa rescore --requests-per-second</c>.</summary>
public sealed class RequestPacerTests
{
    [Fact]
    public async Task ACapHoldsRequestsBackToItsRate()
    {
        // 100/s allows a burst of 5 (50 ms at the full rate), then 5 more every 50 ms: 25 requests
        // need 4 refills, about 200 ms; with no cap they take well under 1 ms. The bound is one refill
        // period: the token bucket's timer ticks can come early or bunch up when the thread pool is
        // starved (CI measured 177 ms, and 111 ms at load 48), so a tighter bound fails on a busy machine.
        using var pacer = new RequestPacer(100);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => pacer.WaitAsync(CancellationToken.None)));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(50), $"25 requests at 100/s took {clock.Elapsed.TotalMilliseconds:F0} ms");
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

using IpIqa.Core.Jobs;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>Runs a job source in the background until disposed (a graceful stop).</summary>
public sealed class RunningSource : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _run;

    public RunningSource(IJobSource source, IJobHandler handler)
    {
        _run = Task.Run(() => source.RunAsync(handler, _stop.Token, _abort.Token));
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops receiving; jobs in flight get <paramref name="grace"/> to finish before their token fires.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _stop.CancelAsync();
        using var timeout = new CancellationTokenSource(grace);
        await using (timeout.Token.Register(_abort.Cancel))
        {
            await _run;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (timeout.Token.Register(_abort.Cancel))
        {
            await _run;
        }

        _stop.Dispose();
        _abort.Dispose();
    }
}

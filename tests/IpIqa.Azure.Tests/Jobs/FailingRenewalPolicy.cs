using Azure.Core;
using Azure.Core.Pipeline;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>
/// A transport fault: the lease renewals numbered in <paramref name="failing"/> (1-based) throw
/// <see cref="IOException"/> before they reach the service; with <see cref="SlowResponse"/>, every
/// renewal's response arrives that much later than the service applied it.
/// </summary>
public sealed class FailingRenewalPolicy(params int[] failing) : HttpPipelinePolicy
{
    public TimeSpan SlowResponse { get; init; }

    private int _renewals;
    private int _failures;

    public int Renewals => Volatile.Read(ref _renewals);

    public int Failures => Volatile.Read(ref _failures);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Fail(message);
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var renewal = Fail(message);
        await ProcessNextAsync(message, pipeline);
        if (renewal && SlowResponse > TimeSpan.Zero)
        {
            await Task.Delay(SlowResponse, message.CancellationToken);
        }
    }

    private bool Fail(HttpMessage message)
    {
        // A renewal is an Update Message: PUT .../messages/ID?popreceipt=...&visibilitytimeout=...
        var uri = message.Request.Uri.ToUri();
        if (message.Request.Method != RequestMethod.Put || !uri.AbsolutePath.Contains("/messages/", StringComparison.Ordinal) || !uri.Query.Contains("popreceipt=", StringComparison.Ordinal))
        {
            return false;
        }

        if (failing.Contains(Interlocked.Increment(ref _renewals)))
        {
            Interlocked.Increment(ref _failures);
            throw new IOException("Connection reset by peer (injected).");
        }

        return true;
    }
}

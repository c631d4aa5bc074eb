using Azure.Core;
using Azure.Core.Pipeline;

namespace IpIqa.Rescoring;

/// <summary>
/// An HTTP pipeline policy that makes every request of a client (each retry included, when added
/// per retry) take a slot of a <see cref="RequestPacer"/>, so a client shares the run's
/// <c>--requests-per-second</c> budget without each call site waiting on its own.
/// </summary>
public sealed class RequestPacingPolicy(RequestPacer pacer) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        await pacer.WaitAsync(message.CancellationToken).ConfigureAwait(false);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        pacer.WaitAsync(message.CancellationToken).GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
    }
}

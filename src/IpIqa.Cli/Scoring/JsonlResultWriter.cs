using IpIqa.Core.Contracts;

namespace IpIqa.Cli.Scoring;

/// <summary>
/// One result per line, exactly as the worker's results file writes it (<see cref="ScoringJson.SerializeResultLine"/>):
/// the same input gives the same line from <c>ipiqa score</c> and from the worker.
/// </summary>
internal sealed class JsonlResultWriter(Stream stream) : IResultWriter<ScoringResult>
{
    public async ValueTask WriteAsync(ScoringResult row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await stream.WriteAsync(ScoringJson.SerializeResultLine(row), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}

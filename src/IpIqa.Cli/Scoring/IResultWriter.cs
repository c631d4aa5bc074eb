namespace IpIqa.Cli.Scoring;

/// <summary>Writes score outcomes, one per input, in input order; disposing finishes the file.</summary>
internal interface IResultWriter : IAsyncDisposable
{
    ValueTask WriteAsync(ScoreOutcome outcome, CancellationToken cancellationToken);
}

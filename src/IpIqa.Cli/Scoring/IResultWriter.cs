namespace IpIqa.Cli.Scoring;

/// <summary>Writes score outcomes, one per input, in input order.</summary>
internal interface IResultWriter : IDisposable
{
    void Write(ScoreOutcome outcome);
}

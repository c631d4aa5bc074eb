namespace IpIqa.Core.Contracts;

/// <summary>Writes result rows to a file in input order; disposing finishes the file (a footer, a rename into place).</summary>
public interface IResultWriter<in TRow> : IAsyncDisposable
{
    ValueTask WriteAsync(TRow row, CancellationToken cancellationToken);
}

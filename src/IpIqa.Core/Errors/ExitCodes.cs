namespace IpIqa.Core.Errors;

/// <summary>
/// The exit codes of every run that scores a set of inputs (<c>ipiqa score</c>, <c>ipiqa rescore</c>,
/// <c>ipiqa-worker --drain</c>), the same for each so that a pipeline can gate on them.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every input was scored (with <c>--fail-on-verdict</c>: and every verdict passed).</summary>
    public const int Ok = 0;

    /// <summary>Some inputs could not be scored (with <c>--fail-on-verdict</c>: or were rejected); the results are still written.</summary>
    public const int InputsFailed = 1;

    /// <summary>A usage or configuration error: nothing was scored.</summary>
    public const int Usage = 2;

    /// <summary>The run itself failed (an unforeseen error, or the worker could not keep running); results written so far stay.</summary>
    public const int RunFailed = 3;

    /// <summary>Interrupted (Ctrl+C, SIGTERM) before the end; a rescore run resumes where it stopped.</summary>
    public const int Interrupted = 130;

    /// <summary>The code of a finished run: <see cref="InputsFailed"/> when any input errored, or was rejected and <paramref name="failOnVerdict"/> is set.</summary>
    public static int Of(int errors, int rejected, bool failOnVerdict) =>
        errors > 0 || (failOnVerdict && rejected > 0) ? InputsFailed : Ok;
}

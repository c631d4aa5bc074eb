using IpIqa.Cli.Commands;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Errors;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Rescoring;

/// <summary>
/// <c>ipiqa rescore</c> after parsing: checks the engine options, then hands the run to <see cref="RescoreRun"/>
/// (IpIqa.Rescoring) with this command's model loader and terminal. Exits with <see cref="ExitCodes"/>.
/// </summary>
internal static class RescoreCommandRunner
{
    public static async Task<int> RunAsync(RescoreSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!CliOptions.CheckRanges(settings.BatchSize, settings.Threads) || !CliOptions.CheckMaxPromptBytes(settings.MaxPromptBytes))
        {
            return ExitCodes.Usage;
        }

        using var loggers = CliEngine.CreateLoggerFactory();
        var host = new RescoreHost(
            () => CliEngine.Load(settings.Model, settings.BatchSize, settings.Threads, settings.Provider, loggers, maxPromptBytes: settings.MaxPromptBytes),
            Console.IsErrorRedirected ? null : CliConsole.Stderr);
        return await RescoreRun.RunAsync(settings, host, output, cancellationToken).ConfigureAwait(false);
    }
}

using System.CommandLine;
using IpIqa.Core.Errors;

namespace IpIqa.Cli.Commands;

/// <summary>The subcommands of <c>ipiqa</c>. Each command lives in its own file and is listed here once.</summary>
internal static class CliCommands
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return ScoreCommand.Create();
        yield return InspectCommand.Create();
        yield return BenchCommand.Create();
        yield return TokenizeCommand.Create();
        yield return RescoreCommand.Create();
        yield return CalibrateCommand.Create();
    }

    /// <summary>
    /// Parses and runs one <c>ipiqa</c> command line. A parse error (an unknown command or option, a missing or
    /// malformed value) prints its message and the help, and exits with <see cref="ExitCodes.Usage"/>, not
    /// System.CommandLine's 1, which for <c>score</c> and <c>rescore</c> means that some inputs could not be scored.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("ipiqa: score AI-generated images against their prompts with IP-IQA.");
        foreach (var command in All())
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        var exitCode = await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        return parsed.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }
}

using System.CommandLine;

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
}

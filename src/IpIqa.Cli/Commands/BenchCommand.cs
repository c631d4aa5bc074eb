using System.CommandLine;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa bench</c>: micro-benchmarks of the serving path.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure the speed of parts of the scoring path.");
        command.Subcommands.Add(BenchPreprocessCommand.Create());
        return command;
    }
}

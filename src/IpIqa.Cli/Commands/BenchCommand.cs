using System.CommandLine;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa bench</c>: the benchmark group; each part of the scoring path is a subcommand printing JSON.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure the speed of parts of the scoring path, or of the whole path.");
        command.Subcommands.Add(BenchPreprocessCommand.Create());
        command.Subcommands.Add(BenchModelCommand.Create());
        command.Subcommands.Add(BenchE2eCommand.Create());
        return command;
    }
}

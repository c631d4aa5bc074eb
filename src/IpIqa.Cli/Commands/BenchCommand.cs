using System.CommandLine;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa bench</c>: the benchmark group; each stage is a subcommand.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure throughput of one stage or of the whole path; prints JSON.");
        command.Subcommands.Add(BenchPreprocessCommand.Create());
        command.Subcommands.Add(BenchModelCommand.Create());
        command.Subcommands.Add(BenchE2eCommand.Create());
        return command;
    }
}

using System.CommandLine;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa calibrate</c>: writes a new bundle version holding percentile tables of a reference run.</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var results = new Option<string>("--results") { Description = "Reference run: a rescore run folder, or a results .csv with quality and alignment columns.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "New bundle folder (must not exist or be empty).", Required = true };
        var version = new Option<string?>("--version") { Description = "Version of the new bundle (default: the old one with its last number bumped)." };
        var command = new Command("calibrate", "Copy a bundle with percentile tables (0..100) of a reference run's scores.") { model, results, output, version };
        command.SetAction(parse => CalibrateRunner.Run(parse.GetValue(model)!, parse.GetValue(results)!, parse.GetValue(output)!, parse.GetValue(version), parse.InvocationConfiguration.Output));
        return command;
    }
}

using System.CommandLine;
using IpIqa.Cli.Commands;

namespace IpIqa.Cli.Tests.Commands;

/// <summary>Runs <c>ipiqa</c> in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliCommands.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}

using System.CommandLine;
using System.Reflection;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa version</c>: prints the tool's version.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of ipiqa.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"ipiqa {version}");
            return 0;
        });
        return command;
    }
}

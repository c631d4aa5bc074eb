using System.CommandLine;
using System.Reflection;

namespace IpIqa.Training.Commands;

/// <summary><c>ipiqa-train version</c>: prints the tool's version.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of ipiqa-train.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"ipiqa-train {version}");
            return 0;
        });
        return command;
    }
}

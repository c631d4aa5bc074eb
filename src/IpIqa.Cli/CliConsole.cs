using Spectre.Console;

namespace IpIqa.Cli;

/// <summary>The console for progress, tables and messages: stderr, so stdout stays for data.</summary>
internal static class CliConsole
{
    private static readonly Lazy<IAnsiConsole> LazyStderr = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    }));

    public static IAnsiConsole Stderr => LazyStderr.Value;
}

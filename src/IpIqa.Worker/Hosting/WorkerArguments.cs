using IpIqa.Worker.Configuration;

namespace IpIqa.Worker.Hosting;

/// <summary>
/// The worker's command line: <c>--drain</c> means <c>--IpIqa:Local:Drain=true</c>, <c>--fail-on-verdict</c>
/// <c>--IpIqa:Local:FailOnVerdict=true</c>, <c>--help</c> prints
/// <see cref="Usage"/> and exits, and any other argument is configuration (<c>--IpIqa:Section:Key=value</c>).
/// Anything else is refused by <see cref="FindMistake"/> before the host starts.
/// </summary>
public static class WorkerArguments
{
    public const string Usage = """
        Usage: ipiqa-worker [--drain [--fail-on-verdict]] [--help] [--IpIqa:Section:Key=value ...]

        Scores (image, prompt) jobs from a queue with an IP-IQA model bundle and writes each job's
        scores and verdict to the configured sinks. Settings come from appsettings.json, then
        environment variables (IpIqa__Section__Key), then arguments (--IpIqa:Section:Key=value).
        An unknown IpIqa: key stops the start.

          --drain            Local transport only: score every job in IpIqa:Local:JobsPath, print a
                             table, and exit (0: every job scored; 1: some could not be scored).
          --fail-on-verdict  With --drain: a rejected job (a failing verdict) also exits 1.
          --help             Print this text and exit.

        Common settings (docs/configuration.md has all of them):
          --IpIqa:Model:BundlePath=models/demo       model bundle folder
          --IpIqa:Transport:Kind=Local               Local, ServiceBus, StorageQueue or Http
          --IpIqa:Local:JobsPath=samples/jobs.jsonl  local jobs (a JSONL file or a folder of .json files)
          --IpIqa:Local:ResultsPath=results.jsonl    local results file
          --IpIqa:Health:Port=8080                   health endpoint port (0: off)

        Exit codes: 0 stopped normally (a drain: every job scored); 1 a drain had jobs that could not be
        scored; 2 an unknown option or a configuration that is not valid; 3 the worker failed while running.
        """;

    /// <summary>True when the arguments ask for help (<c>--help</c>, <c>-h</c>, <c>-?</c>); the worker then prints <see cref="Usage"/> and does not start.</summary>
    public static bool AsksForHelp(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a is "--help" or "-h" or "-?" or "/?");
    }

    /// <summary>
    /// The first argument that is neither a flag of <see cref="Usage"/> nor a setting (<c>--Section:Key=value</c>,
    /// <c>--Section:Key value</c>, or a host setting such as <c>--environment=Production</c>), described in one line; null
    /// when there is none. The host's command-line configuration would drop such an argument, or read it as a key that
    /// takes the next argument as its value: <c>--drian --drain</c> started a worker that never drained.
    /// </summary>
    public static string? FindMistake(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (Flags.Contains(arg, StringComparer.Ordinal))
            {
                continue;
            }

            var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg.StartsWith('/') ? arg[1..] : null;
            var equals = key?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            var name = key is null ? null : equals < 0 ? key : key[..equals];
            if (name is null || (!name.Contains(':', StringComparison.Ordinal) && !HostKeys.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                return UnknownKeyCheck.Nearest(arg.Split('=')[0], Flags) is { } near
                    ? $"'{arg}' is not an option; did you mean {near}?"
                    : $"'{arg}' is not an option; a setting is written --Section:Key=value.";
            }

            if (equals < 0 && ++i == args.Count)
            {
                return $"'{arg}' has no value; write {arg}=VALUE.";
            }
        }

        return null;
    }

    private static readonly string[] Flags = ["--drain", "--fail-on-verdict", "--help"];

    /// <summary>The settings the .NET host reads from the command line without a section.</summary>
    private static readonly string[] HostKeys = ["environment", "contentRoot", "applicationName"];

    public static string[] Normalise(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return [.. args.Select(a => a switch
        {
            "--drain" => "--IpIqa:Local:Drain=true",
            "--fail-on-verdict" => "--IpIqa:Local:FailOnVerdict=true",
            _ => a,
        })];
    }
}

namespace IpIqa.Worker.Hosting;

/// <summary>
/// The worker's command line: <c>--drain</c> means <c>--IpIqa:Local:Drain=true</c>, <c>--fail-on-verdict</c>
/// <c>--IpIqa:Local:FailOnVerdict=true</c>, <c>--help</c> prints
/// <see cref="Usage"/> and exits, and any other argument is configuration (<c>--IpIqa:Section:Key=value</c>).
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
          --IpIqa:Transport:Kind=Local               Local, ServiceBus or StorageQueue
          --IpIqa:Local:JobsPath=samples/jobs.jsonl  local jobs (a JSONL file or a folder of .json files)
          --IpIqa:Local:ResultsPath=results.jsonl    local results file
          --IpIqa:Health:Port=8080                   health endpoint port (0: off)

        Exit codes: 0 stopped normally (a drain: every job scored); 1 a drain had jobs that could not be
        scored; 2 the configuration is not valid; 3 the worker failed while running.
        """;

    /// <summary>True when the arguments ask for help (<c>--help</c>, <c>-h</c>, <c>-?</c>); the worker then prints <see cref="Usage"/> and does not start.</summary>
    public static bool AsksForHelp(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a is "--help" or "-h" or "-?" or "/?");
    }

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

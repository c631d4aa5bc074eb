using System.ComponentModel.DataAnnotations;

namespace IpIqa.Worker.Local;

/// <summary>The embedded local transport. Section <c>IpIqa:Local</c>.</summary>
public sealed record LocalOptions
{
    public const string SectionName = "IpIqa:Local";

    /// <summary>A JSONL file (one request per line) or a folder of <c>.json</c> requests.</summary>
    [Required(AllowEmptyStrings = false)]
    public string JobsPath { get; init; } = "samples/jobs.jsonl";

    /// <summary>Local image paths are confined to this folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ImageRoot { get; init; } = "samples";

    /// <summary>The JSONL results file.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ResultsPath { get; init; } = "results.jsonl";

    /// <summary>Process what is there, print the results, then exit (0: every job scored; 1: some could not be).</summary>
    public bool Drain { get; init; }

    /// <summary>With <see cref="Drain"/>: a rejected job (a failing verdict) also makes the exit code 1.</summary>
    public bool FailOnVerdict { get; init; }

    /// <summary>How often new jobs are looked for when not draining.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a jobs file must be unchanged before a last line without its newline, or a <c>.json</c>
    /// job that does not parse, is taken as written (until then it is looked at again on the next poll).
    /// Write job files elsewhere and rename them in, and nothing is read half-written.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Times a job that fails transiently is tried before it is reported as failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; init; } = 3;
}

using IpIqa.Core.Jobs;
using IpIqa.Inference;

namespace IpIqa.Rescoring;

/// <summary>The arguments of <c>ipiqa rescore</c>. Exactly one of <see cref="Folder"/>, <see cref="Manifest"/> and <see cref="Container"/> names the source.</summary>
internal sealed record RescoreSettings
{
    public required string Model { get; init; }
    public required string RunsRoot { get; init; }

    /// <summary>A blob container URL that keeps the runs; <see cref="RunsRoot"/> is then the local working copy.</summary>
    public Uri? RunsContainer { get; init; }

    public string? Folder { get; init; }
    public string? Manifest { get; init; }
    public string? Container { get; init; }
    public string? Prefix { get; init; }

    /// <summary>With <see cref="Container"/>: enumerate from the Azure Blob Inventory under this <c>CONTAINER[/PATH]</c> of the same account instead of listing (#19).</summary>
    public string? Inventory { get; init; }
    /// <summary>With <see cref="Container"/>: only blobs created or changed since the last run, from the blob change feed (<c>--change-feed</c>, #19).</summary>
    public bool ChangeFeed { get; init; }

    /// <summary>Prefixes of <see cref="Container"/> listed at once (<c>--list-concurrency</c>, see <see cref="ParallelBlobRescoreSource"/>); 1 lists one page after another.</summary>
    public int ListConcurrency { get; init; } = 1;

    public string PromptKey { get; init; } = "prompt";
    public string? ConnectionString { get; init; }
    public Uri? ServiceUri { get; init; }
    public string? Resume { get; init; }

    /// <summary>A finished run whose full results to write (<c>--export RUNID</c>) instead of running.</summary>
    public string? Export { get; init; }
    public bool Force { get; init; }
    public bool DryRun { get; init; }
    public double? AssumedRate { get; init; }
    public double RequestsPerSecond { get; init; }
    public int PageSize { get; init; } = 500;
    public string? QualityThreshold { get; init; }
    public string? AlignmentThreshold { get; init; }
    public int WorstCount { get; init; } = 12;

    /// <summary>Rejected images explained after the run (<c>--explain N</c>, 0 to <see cref="ReportExplanations.MaxCount"/>; see <see cref="ReportExplanations"/>).</summary>
    public int ExplainCount { get; init; }
    public int BatchSize { get; init; } = 16;
    public int Threads { get; init; }
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Auto;
    public bool Enqueue { get; init; }
    public TransportKind QueueKind { get; init; } = TransportKind.StorageQueue;
    public string? QueueName { get; init; }
    public string? QueueConnectionString { get; init; }
    public string? QueueEndpoint { get; init; }
    public long MaxImageBytes { get; init; } = 32L * 1024 * 1024;
    public bool FailOnVerdict { get; init; }

    /// <summary>Run folders kept after a run (<c>--keep-runs</c>, see <see cref="RunRetention"/>); 0 keeps every run.</summary>
    public int KeepRuns { get; init; } = RunRetention.DefaultKeep;

    /// <summary>Longest prompt scored in-process, in UTF-8 bytes (<c>--max-prompt-bytes</c>).</summary>
    public int MaxPromptBytes { get; init; } = Core.Contracts.RequestLimits.DefaultMaxPromptBytes;
}

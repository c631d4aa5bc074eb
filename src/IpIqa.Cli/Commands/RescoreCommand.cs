using System.CommandLine;
using IpIqa.Cli.Rescoring;
using IpIqa.Core.Jobs;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa rescore</c>: rescores a gallery (blob container, folder or manifest) as a resumable run, in-process or onto the worker queue.</summary>
internal static class RescoreCommand
{
    /// <summary>The command, running <paramref name="run"/> with the parsed settings (default: <see cref="RescoreCommandRunner.RunAsync"/>).</summary>
    public static Command Create(Func<RescoreSettings, TextWriter, CancellationToken, Task<int>>? run = null)
    {
        run ??= RescoreCommandRunner.RunAsync;
        var model = CliOptions.Model();
        var runs = new Option<string>("--runs") { Description = "Runs root: each run gets a folder with its checkpoint, journal, results.csv, results.parquet and report.html (with --runs-container: the local working copy).", DefaultValueFactory = _ => "runs" };
        var runsContainer = CliOptions.AbsoluteUri("--runs-container", "Blob container URL that keeps the runs (checkpoint and journal at every page, results at the end), for hosts whose disk does not last; with --connection-string, else DefaultAzureCredential.");
        var folder = new Option<string?>("--folder") { Description = "Source: a folder of images with same-named .txt prompts." };
        var manifest = new Option<string?>("--manifest") { Description = "Source: a manifest, .jsonl ({\"image\",\"prompt\"}), .csv (image,prompt) or .parquet (string columns image, prompt)." };
        var container = new Option<string?>("--container") { Description = "Source: a blob container; the prompt is read from blob metadata." };
        var prefix = new Option<string?>("--prefix") { Description = "Only blobs whose names start with this." };
        var inventory = new Option<string?>("--inventory") { Description = "With --container: read the latest complete Azure Blob Inventory report under CONTAINER[/PATH] of the same account (CSV or Parquet) instead of listing the gallery." };
        var changeFeed = new Option<bool>("--change-feed") { Description = "With --container: only blobs created or changed since the last run, read from the account's blob change feed ($blobchangefeed); the cursor is kept in run.json." };
        var listConcurrency = new Option<int>("--list-concurrency") { Description = "With --container: first-level prefixes listed at once, 5,000 blobs a request, merged in name order (1: one listing).", DefaultValueFactory = _ => 1 };
        var promptKey = new Option<string>("--prompt-key") { Description = "Blob metadata key holding the prompt.", DefaultValueFactory = _ => "prompt" };
        var connection = new Option<string?>("--connection-string") { Description = "Storage connection string (Azurite, development)." };
        var serviceUri = CliOptions.AbsoluteUri("--service-uri", "Blob service URI, reached with DefaultAzureCredential (production).");
        var resume = new Option<string?>("--resume") { Description = "Resume this run id (default: the unfinished run of the same source and model, if any)." };
        var export = new Option<string?>("--export") { Description = "Write the full results (results.csv, results.parquet) of this finished run into its folder, resolving a run that holds only changes, instead of running." };
        var force = new Option<bool>("--force") { Description = "Rescore images a previous run scored with the same model." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List only: count, total size, estimated time." };
        var assumedRate = new Option<double?>("--assumed-rate") { Description = "Images/s for --dry-run's estimate (default: measured on a short sample)." };
        var rps = new Option<double>("--requests-per-second") { Description = "Cap on storage requests per second: listing, downloads, the run store and enqueued jobs together (0: none).", DefaultValueFactory = _ => 0 };
        var keepRuns = new Option<int>("--keep-runs")
        {
            Description = "Run folders kept after a run (and in --runs-container); older ones are removed, never the previous or an unfinished run (0: keep all).",
            DefaultValueFactory = _ => RunRetention.DefaultKeep,
        };
        var pageSize = new Option<int>("--page-size") { Description = "Items per listing page (one checkpoint per page).", DefaultValueFactory = _ => 500 };
        var quality = new Option<string?>("--quality-threshold") { Description = "Lowest passing quality: a score (0.4) or a calibrated percentile (p20)." };
        var alignment = new Option<string?>("--alignment-threshold") { Description = "Lowest passing alignment: a score or a percentile (pNN)." };
        var worst = new Option<int>("--worst") { Description = "Lowest-quality images shown in the report.", DefaultValueFactory = _ => 12 };
        var explain = new Option<int>("--explain")
        {
            Description = $"Explain the N rejected images furthest below the thresholds (at most {ReportExplanations.MaxCount}): their attention overlay and the prompt words they do not support, in the report and the results.",
        };
        var enqueue = new Option<bool>("--enqueue") { Description = "Send one job per image to the worker fleet's queue instead of scoring here." };
        var queueKind = new Option<TransportKind>("--queue-kind")
        {
            Description = "storage-queue or service-bus: the worker's IpIqa:Transport:Kind.",
            DefaultValueFactory = _ => TransportKind.StorageQueue,
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (TransportKinds.TryParse(token, out var kind) && kind is TransportKind.StorageQueue or TransportKind.ServiceBus)
                {
                    return kind;
                }

                result.AddError($"--queue-kind '{token}' is unknown; use storage-queue or service-bus.");
                return TransportKind.StorageQueue;
            },
        };
        var queue = new Option<string?>("--queue") { Description = "Queue name for --enqueue." };
        var queueConnection = new Option<string?>("--queue-connection-string") { Description = "Queue connection string (Azurite, development)." };
        var queueEndpoint = new Option<string?>("--queue-endpoint") { Description = "Queue service URI or Service Bus namespace, reached with DefaultAzureCredential." };
        var batchSize = CliOptions.BatchSize();
        var threads = CliOptions.Threads();
        var provider = CliOptions.Provider();
        var failOnVerdict = CliOptions.FailOnVerdict();
        var maxPromptBytes = CliOptions.MaxPromptBytes();

        var command = new Command("rescore", "Rescore a stored gallery as a resumable run; writes results.csv, results.parquet and report.html in the run folder.")
        {
            model, runs, runsContainer, folder, manifest, container, prefix, inventory, changeFeed, listConcurrency, promptKey, connection, serviceUri, resume, export, force, dryRun, assumedRate, rps,
            keepRuns, pageSize, quality, alignment, worst, explain, enqueue, queueKind, queue, queueConnection, queueEndpoint, batchSize, threads, provider, failOnVerdict, maxPromptBytes,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new RescoreSettings
            {
                Model = parse.GetValue(model)!,
                RunsRoot = parse.GetValue(runs)!,
                RunsContainer = parse.GetValue(runsContainer),
                Folder = parse.GetValue(folder),
                Manifest = parse.GetValue(manifest),
                Container = parse.GetValue(container),
                Prefix = parse.GetValue(prefix),
                Inventory = parse.GetValue(inventory),
                ListConcurrency = parse.GetValue(listConcurrency),
                ChangeFeed = parse.GetValue(changeFeed),
                PromptKey = parse.GetValue(promptKey)!,
                ConnectionString = parse.GetValue(connection),
                ServiceUri = parse.GetValue(serviceUri),
                Resume = parse.GetValue(resume),
                Export = parse.GetValue(export),
                Force = parse.GetValue(force),
                DryRun = parse.GetValue(dryRun),
                AssumedRate = parse.GetValue(assumedRate),
                RequestsPerSecond = parse.GetValue(rps),
                PageSize = parse.GetValue(pageSize),
                KeepRuns = parse.GetValue(keepRuns),
                QualityThreshold = parse.GetValue(quality),
                AlignmentThreshold = parse.GetValue(alignment),
                WorstCount = parse.GetValue(worst),
                ExplainCount = parse.GetValue(explain),
                Enqueue = parse.GetValue(enqueue),
                QueueKind = parse.GetValue(queueKind),
                QueueName = parse.GetValue(queue),
                QueueConnectionString = parse.GetValue(queueConnection),
                QueueEndpoint = parse.GetValue(queueEndpoint),
                BatchSize = parse.GetValue(batchSize),
                Threads = parse.GetValue(threads),
                Provider = parse.GetValue(provider),
                FailOnVerdict = parse.GetValue(failOnVerdict),
                MaxPromptBytes = parse.GetValue(maxPromptBytes),
            };
            return await run(settings, parse.InvocationConfiguration.Output, cancellationToken);
        });
        return command;
    }
}

using IpIqa.Core.Calibration;
using IpIqa.Core.Errors;
using IpIqa.Inference.Bundles;

namespace IpIqa.Rescoring;

/// <summary>
/// <c>--export RUNID</c>: writes the full results of a finished run (<c>results.csv</c> and
/// <c>results.parquet</c>) into its folder, resolving a delta run through its chain (#19), with the explanation
/// columns where the run explained images (<see cref="ExplanationIndex"/>, #15), and, with <c>--runs-container</c>,
/// stores them there too.
/// </summary>
internal static class RescoreExport
{
    public static async Task<int> RunAsync(string root, string runId, ModelBundle bundle, ScoreCalibration calibration, IRunStore? store, TextWriter output, CancellationToken cancellationToken)
    {
        var run = RunFolder.Open(root, runId);
        if (run.State.Completed is null)
        {
            throw new InvalidDataException($"Run {runId} has not finished: resume it first, then export it.");
        }

        var chain = RunChain.Of(root, run);
        if (store is not null)
        {
            foreach (var link in chain)
            {
                await store.PullJournalAsync(link, cancellationToken).ConfigureAwait(false);
            }

            await store.PullExplanationIndexAsync(run, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var records = RunRecords.Open(root, run, run.ScratchPath);
            var explained = ExplanationIndex.Located(ExplanationIndex.Read(Path.Combine(run.Path, ReportExplanations.FolderName)), store, run);
            await RescoreResultsWriter.WriteAsync(run, records.Records(), bundle.Identity.ToModelInfo(), calibration, explained, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            run.ClearScratch();
        }

        if (store is not null)
        {
            await store.OpenAsync(run, cancellationToken).ConfigureAwait(false);
            await store.PushCompletedAsync(run, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"run {run.RunId}{(chain.Count > 1 ? $" (changes since {run.State.BaseRunId}, {chain.Count - 1} run(s) back to a full run)" : "")}").ConfigureAwait(false);
        await output.WriteLineAsync($"results: {run.ResultsPath}").ConfigureAwait(false);
        await output.WriteLineAsync($"         {run.ResultsParquetPath}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}

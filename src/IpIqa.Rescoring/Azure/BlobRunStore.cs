using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace IpIqa.Rescoring;

/// <summary>
/// Run folders in a blob container, one virtual folder per run id: <c>RUNID/run.json</c> (block
/// blob, replaced at every checkpoint), <c>RUNID/journal.jsonl</c> (append blob, appended from the
/// last stored offset in blocks of whole lines, each on the condition that the blob still ends
/// there), and at the end <c>results.csv</c>, <c>results.parquet</c>, <c>report.html</c> and <c>explanations/</c>. The
/// journal's new lines are stored before the checkpoint, so the stored journal always covers the
/// stored checkpoint. Build the client with <see cref="ClientOptions"/> so every request takes a
/// slot of the run's <see cref="RequestPacer"/>.
/// </summary>
public sealed class BlobRunStore(BlobContainerClient container) : IRunStore
{
    private readonly Dictionary<string, long> _stored = new(StringComparer.Ordinal);

    public string Description => container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>Makes the pipeline of <paramref name="options"/> pace every request (each retry too) with <paramref name="pacer"/>.</summary>
    public static void AddPacing(BlobClientOptions options, RequestPacer pacer)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(new RequestPacingPolicy(pacer), global::Azure.Core.HttpPipelinePosition.PerRetry);
    }

    public async Task<string?> EnsureReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var created = await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return created is null ? null : $"created container {container.Name}";
        }
        catch (RequestFailedException ex) when (ex.Status == 403)
        {
            // An identity that may only read and write blobs may not create containers; infra/ creates it.
            return null;
        }
    }

    public async Task PullCheckpointsAsync(string root, CancellationToken cancellationToken)
    {
        var runIds = new List<string>();
        await foreach (var entry in container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, cancellationToken).ConfigureAwait(false))
        {
            if (entry.IsPrefix && entry.Prefix.TrimEnd('/') is var id && IsRunId(id))
            {
                runIds.Add(id);
            }
        }

        foreach (var id in runIds)
        {
            try
            {
                var content = await container.GetBlobClient($"{id}/{RunFolder.StateFile}").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                var folder = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
                await ReplaceAsync(Path.Combine(folder, RunFolder.StateFile), content.Value.Content.ToMemory(), cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // A folder with no checkpoint (only results, say) is not a run.
            }
        }
    }

    public async Task PullJournalAsync(RunFolder run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await DownloadJournalAsync(run, cancellationToken).ConfigureAwait(false);
    }

    public async Task PullExplanationIndexAsync(RunFolder run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var blob = Blob(run, $"{ReportExplanations.FolderName}/{ExplanationIndex.FileName}");
        BinaryData content;
        try
        {
            // One byte past the bound tells an index that is too long from one that fits exactly.
            var download = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(0, ExplanationIndex.MaxBytes + 1) }, cancellationToken).ConfigureAwait(false);
            content = download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 416)
        {
            return; // the run explained no image (no index, or an empty one)
        }

        var name = blob.Uri.GetLeftPart(UriPartial.Path);
        if (content.ToMemory().Length > ExplanationIndex.MaxBytes)
        {
            throw new InvalidDataException($"{name}: the explanation index is over {ExplanationIndex.MaxBytes} bytes; it is not one --explain wrote.");
        }

        ExplanationIndex.Parse(content.ToString().Split('\n'), name);
        var folder = Directory.CreateDirectory(Path.Combine(run.Path, ReportExplanations.FolderName)).FullName;
        await ReplaceAsync(Path.Combine(folder, ExplanationIndex.FileName), content.ToMemory(), cancellationToken).ConfigureAwait(false);
    }

    public async Task OpenAsync(RunFolder run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var journal = Journal(run);
        var length = await DownloadJournalAsync(run, cancellationToken).ConfigureAwait(false);
        if (length is not { } stored)
        {
            await journal.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } }, cancellationToken).ConfigureAwait(false);
            _stored[run.RunId] = 0;
            await PushCheckpointAsync(run, cancellationToken).ConfigureAwait(false);
            return;
        }

        var whole = WholeLinesLength(run.JournalPath);
        if (whole < stored)
        {
            await RepairAsync(run, whole, cancellationToken).ConfigureAwait(false);
        }

        _stored[run.RunId] = whole;
    }

    public async Task PushCheckpointAsync(RunFolder run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await PushJournalAsync(run, cancellationToken).ConfigureAwait(false);
        await UploadAsync(Blob(run, RunFolder.StateFile), BinaryData.FromBytes(run.State.ToUtf8Json()), "application/json", cancellationToken).ConfigureAwait(false);
    }

    public async Task PushCompletedAsync(RunFolder run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await PushJournalAsync(run, cancellationToken).ConfigureAwait(false);
        foreach (var (path, contentType) in new[] { (run.ResultsPath, "text/csv"), (run.ResultsParquetPath, "application/vnd.apache.parquet"), (run.ReportPath, "text/html") })
        {
            if (File.Exists(path))
            {
                var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
                await Blob(run, Path.GetFileName(path)).UploadAsync(path, options, cancellationToken).ConfigureAwait(false);
            }
        }

        await PushExplanationsAsync(run, cancellationToken).ConfigureAwait(false);

        await UploadAsync(Blob(run, RunFolder.StateFile), BinaryData.FromBytes(run.State.ToUtf8Json()), "application/json", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The blob's URI, with no query (no SAS token): the results name a file, never a credential.</summary>
    public string Locate(RunFolder run, string file)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Blob(run, file).Uri.GetLeftPart(UriPartial.Path);
    }

    public async Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        if (!IsRunId(runId))
        {
            throw new ArgumentException($"'{runId}' is not a run id.", nameof(runId));
        }

        var checkpoint = $"{runId}/{RunFolder.StateFile}";
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = runId + "/" }, cancellationToken).ConfigureAwait(false))
        {
            names.Add(blob.Name);
        }

        foreach (var name in names.Where(n => n != checkpoint).Append(checkpoint))
        {
            await container.DeleteBlobIfExistsAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _stored.Remove(runId);
    }

    /// <summary>Stores the files of <c>--explain N</c> (<c>explanations/</c>: overlays, maps, their index) as <c>RUNID/explanations/NAME</c>.</summary>
    private async Task PushExplanationsAsync(RunFolder run, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(run.Path, ReportExplanations.FolderName);
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var contentType = Path.GetExtension(path) switch { ".png" => "image/png", ".json" => "application/json", _ => "application/x-ndjson" };
            var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
            await Blob(run, $"{ReportExplanations.FolderName}/{Path.GetFileName(path)}").UploadAsync(path, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Appends the local journal's whole lines past the stored length, then notes the new length.</summary>
    private async Task PushJournalAsync(RunFolder run, CancellationToken cancellationToken)
    {
        if (!_stored.TryGetValue(run.RunId, out var stored))
        {
            throw new InvalidOperationException($"Run {run.RunId} was not opened on this store.");
        }

        if (!File.Exists(run.JournalPath))
        {
            return;
        }

        var journal = Journal(run);
        await using var local = new FileStream(run.JournalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        await JournalDelta.AppendAsync(local, stored, async (block, position, ct) =>
        {
            await AppendAtAsync(journal, block, position, ct).ConfigureAwait(false);
            _stored[run.RunId] = position + block.Length;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends <paramref name="block"/> on the condition that the blob ends at <paramref name="position"/>.</summary>
    private static async Task AppendAtAsync(AppendBlobClient journal, ReadOnlyMemory<byte> block, long position, CancellationToken cancellationToken)
    {
        var options = new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = position } };
        try
        {
            await journal.AppendBlockAsync(BinaryData.FromBytes(block).ToStream(), options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412 && ex.ErrorCode == BlobErrorCode.AppendPositionConditionNotMet.ToString())
        {
            // A retry of a block that had landed before its answer was lost is fine; anything else is another writer.
            var properties = await journal.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var length = properties.Value.ContentLength;
            if (length == position + block.Length)
            {
                var landed = await journal.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(position, block.Length) }, cancellationToken).ConfigureAwait(false);
                if (landed.Value.Content.ToMemory().Span.SequenceEqual(block.Span))
                {
                    return;
                }
            }

            throw new InvalidDataException($"The stored journal {journal.Uri.GetLeftPart(UriPartial.Path)} has {length} bytes where this run expected {position}: another process is writing run '{journal.Name.Split('/')[0]}'.", ex);
        }
    }

    /// <summary>
    /// The stored journal ends in part of a line (a crash between the blocks of a line longer than a
    /// block). An append blob cannot be cut, so it is written again with the whole lines, while the
    /// stored checkpoint is rewound to the start of the listing: a crash in between leaves a
    /// checkpoint that any journal covers (a resume lists again and skips the journalled items).
    /// </summary>
    private async Task RepairAsync(RunFolder run, long whole, CancellationToken cancellationToken)
    {
        var state = Blob(run, RunFolder.StateFile);
        var rewound = run.State with { ContinuationToken = null, PagesDone = 0 };
        await UploadAsync(state, BinaryData.FromBytes(rewound.ToUtf8Json()), "application/json", cancellationToken).ConfigureAwait(false);
        var journal = Journal(run);
        await journal.CreateAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } }, cancellationToken).ConfigureAwait(false);
        await using (var local = new FileStream(run.JournalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            local.SetLength(whole);
            await JournalDelta.AppendAsync(local, 0, (block, position, ct) => AppendAtAsync(journal, block, position, ct), cancellationToken).ConfigureAwait(false);
        }

        await UploadAsync(state, BinaryData.FromBytes(run.State.ToUtf8Json()), "application/json", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads the stored journal over the local one (one request); its length, or null when none is stored.</summary>
    private async Task<long?> DownloadJournalAsync(RunFolder run, CancellationToken cancellationToken)
    {
        try
        {
            var download = await Journal(run).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var temporary = run.JournalPath + ".download";
            await using (var content = download.Value.Content)
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, run.JournalPath, overwrite: true);
            return new FileInfo(run.JournalPath).Length;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The length of the file up to and including its last line end (read backwards from the end).</summary>
    private static long WholeLinesLength(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[64 * 1024];
        var end = file.Length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var count = (int)(end - start);
            file.Seek(start, SeekOrigin.Begin);
            file.ReadExactly(buffer, 0, count);
            var lastLineEnd = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (lastLineEnd >= 0)
            {
                return start + lastLineEnd + 1;
            }

            end = start;
        }

        return 0;
    }

    private static async Task UploadAsync(BlobClient blob, BinaryData content, string contentType, CancellationToken cancellationToken) =>
        await blob.UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken).ConfigureAwait(false);

    private static async Task ReplaceAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private BlobClient Blob(RunFolder run, string file) => container.GetBlobClient($"{run.RunId}/{file}");

    private AppendBlobClient Journal(RunFolder run) => container.GetAppendBlobClient($"{run.RunId}/{RunFolder.JournalFile}");

    /// <summary>A run id is a plain folder name: letters, digits, '.', '-' and '_', not starting with '.'.</summary>
    private static bool IsRunId(string id) =>
        id.Length > 0 && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}

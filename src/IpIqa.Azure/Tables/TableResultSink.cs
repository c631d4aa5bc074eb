using Azure;
using Azure.Data.Tables;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tables;

/// <summary>
/// Upserts one row per job (replace): PartitionKey = the result key's first two hex characters
/// (256 partitions), RowKey = the key, which names the job, not the image (see <see cref="ResultKeys"/>).
/// A redelivered job rewrites its row; two jobs on the same image have two rows. Error results get a row
/// too, with <c>ErrorCode</c> and <c>ErrorMessage</c>. The full result JSON is kept in <c>Result</c>.
/// A row the service refuses for good (a property over 64 KiB, an entity over 1 MiB) is an
/// <c>internal_error</c> (<see cref="PermanentFailures"/>), so the job is dead-lettered, not retried.
/// </summary>
public sealed class TableResultSink(TableServiceClient service, IOptions<TableSinkOptions> options) : IResultSink
{
    private readonly Lazy<Task<TableClient>> _table = new(async () =>
    {
        var table = service.GetTableClient(options.Value.TableName);
        if (options.Value.UsesConnectionString)
        {
            await table.CreateIfNotExistsAsync().ConfigureAwait(false);
        }

        return table;
    });

    public string Name => "table";

    public int Order => 20;

    public static string PartitionKeyOf(string key) => key[..2];

    public async Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await _table.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpsertEntityAsync(ToEntity(record), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (PermanentFailures.IsPermanent(ex))
        {
            throw PermanentFailures.Refused($"The table row of job '{record.Result.JobId}' (table {table.Name})", ex);
        }
    }

    public static TableEntity ToEntity(ResultRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = record.Result;
        var entity = new TableEntity(PartitionKeyOf(record.Key), record.Key)
        {
            ["JobId"] = result.JobId,
            ["CorrelationId"] = result.CorrelationId,
            ["ImageUri"] = result.Image?.Uri,
            ["ImagePath"] = result.Image?.Path,
            ["ScoredAt"] = result.ScoredAt,
            ["ModelName"] = result.Model?.Name,
            ["ModelVersion"] = result.Model?.Version,
            ["ModelHash"] = result.Model?.Hash,
            // Without the prompt: a 16 KiB CJK prompt escaped in JSON alone would pass the 64 KiB property limit,
            // and the caller has the prompt already.
            ["Result"] = ScoringJson.SerializeResultToString(result with { Prompt = null }),
        };
        if (result.Scores is { } scores)
        {
            entity["Quality"] = scores.Quality;
            entity["Alignment"] = scores.Alignment;
            if (result.Percentiles is { } percentiles)
            {
                entity["QualityPercentile"] = percentiles.Quality;
                entity["AlignmentPercentile"] = percentiles.Alignment;
            }

            entity["Verdict"] = result.Verdict?.Outcome;
            entity["FailedChecks"] = result.Verdict is { } verdict ? string.Join(',', verdict.Failed) : null;
        }

        if (result.Error is { } error)
        {
            entity["ErrorCode"] = error.Code;
            entity["ErrorMessage"] = error.Message;
        }

        return entity;
    }
}

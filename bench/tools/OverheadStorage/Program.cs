using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

// overhead-storage upload CONNECTION CONTAINER FOLDER
//   Creates the container and uploads every image of FOLDER that has a same-named
//   .txt prompt, with the prompt in the blob metadata key "prompt" (URL-encoded when not ASCII).
// overhead-storage create-queue CONNECTION QUEUE
//   Creates the queue (`ipiqa rescore --enqueue` sends to an existing queue).
// overhead-storage wait-rows CONNECTION QUEUE TABLE COUNT TIMEOUT_SECONDS
//   Polls the queue's approximate message count (one cheap request) until it is 0, then counts the
//   results table's rows until it holds COUNT; prints {"rows","errors","waitedSeconds"}. Reading the
//   whole table on every poll would load Azurite, and so the worker, more and more as it fills.
//   Exit code 1 when the timeout passes first, 2 for bad arguments.
// overhead-storage export-rows CONNECTION TABLE OUT_JSONL
//   Writes one line {"image","quality","alignment","error"} per results-table row (image: the blob name).

const string Usage = "usage: overhead-storage upload CONNECTION CONTAINER FOLDER | create-queue CONNECTION QUEUE | wait-rows CONNECTION QUEUE TABLE COUNT TIMEOUT_SECONDS | export-rows CONNECTION TABLE OUT_JSONL";
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

try
{
    return args switch
    {
        ["upload", var connection, var container, var folder] =>
            await UploadAsync(connection, container, folder, cancellation.Token),
        ["create-queue", var connection, var queue] =>
            await CreateQueueAsync(connection, queue, cancellation.Token),
        ["wait-rows", var connection, var queue, var table, var count, var timeout]
            when int.TryParse(count, CultureInfo.InvariantCulture, out var rows) && rows > 0
              && double.TryParse(timeout, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 =>
            await WaitRowsAsync(connection, queue, table, rows, TimeSpan.FromSeconds(seconds), cancellation.Token),
        ["export-rows", var connection, var table, var output] =>
            await ExportRowsAsync(connection, table, output, cancellation.Token),
        _ => Fail(Usage, 2),
    };
}
catch (Exception e) when (e is Azure.RequestFailedException or IOException or FormatException)
{
    return Fail($"overhead-storage: {e.GetType().Name}: {e.Message}", 1);
}

static int Fail(string message, int code)
{
    Console.Error.WriteLine(message);
    return code;
}

static async Task<int> CreateQueueAsync(string connection, string queueName, CancellationToken cancellationToken)
{
    await new QueueClient(connection, queueName).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    return 0;
}

static async Task<int> UploadAsync(string connection, string containerName, string folder, CancellationToken cancellationToken)
{
    if (!Directory.Exists(folder))
    {
        return Fail($"overhead-storage: folder '{folder}' does not exist", 2);
    }

    var container = new BlobContainerClient(connection, containerName);
    await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    var images = Directory.EnumerateFiles(folder)
        .Where(f => !f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.ChangeExtension(f, ".txt")))
        .Order(StringComparer.Ordinal)
        .ToList();
    await Parallel.ForEachAsync(images, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (image, ct) =>
    {
        var prompt = (await File.ReadAllTextAsync(Path.ChangeExtension(image, ".txt"), ct)).Trim();
        var value = prompt.All(char.IsAscii) ? prompt : Uri.EscapeDataString(prompt);
        var blob = container.GetBlobClient(Path.GetFileName(image));
        await using var stream = File.OpenRead(image);
        await blob.UploadAsync(stream, new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = new Dictionary<string, string> { ["prompt"] = value } }, ct);
    });
    Console.WriteLine(JsonSerializer.Serialize(new { uploaded = images.Count, container = containerName }));
    return images.Count > 0 ? 0 : Fail($"overhead-storage: no image with a .txt prompt in '{folder}'", 1);
}

static async Task<int> WaitRowsAsync(string connection, string queueName, string tableName, int count, TimeSpan timeout, CancellationToken cancellationToken)
{
    var queue = new QueueClient(connection, queueName);
    var table = new TableClient(connection, tableName);
    var clock = Stopwatch.StartNew();
    while (true)
    {
        // A message leaves the queue only after its result is durable, so the table is read once the queue is empty.
        var queued = (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        var (rows, errors) = queued > 0 && clock.Elapsed <= timeout ? (0, 0) : await CountAsync(table, cancellationToken);
        if (rows >= count || clock.Elapsed > timeout)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { rows, errors, waitedSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2) }));
            return rows >= count ? 0 : Fail($"overhead-storage: {rows} of {count} rows after {timeout.TotalSeconds} s", 1);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
    }
}

static async Task<int> ExportRowsAsync(string connection, string tableName, string output, CancellationToken cancellationToken)
{
    var table = new TableClient(connection, tableName);
    await using var writer = new StreamWriter(output);
    await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
    {
        var uri = row.GetString("ImageUri");
        var image = uri is null ? null : Uri.UnescapeDataString(new Uri(uri).Segments[^1]);
        var line = JsonSerializer.Serialize(new { image, quality = row.GetDouble("Quality"), alignment = row.GetDouble("Alignment"), error = row.GetString("ErrorCode") });
        await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
    }

    return 0;
}

static async Task<(int Rows, int Errors)> CountAsync(TableClient table, CancellationToken cancellationToken)
{
    var rows = 0;
    var errors = 0;
    try
    {
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "ErrorCode"], cancellationToken: cancellationToken))
        {
            rows++;
            errors += row.GetString("ErrorCode") is null ? 0 : 1;
        }
    }
    catch (Azure.RequestFailedException e) when (e.Status == 404)
    {
        // The worker creates the table when its sink starts.
    }

    return (rows, errors);
}

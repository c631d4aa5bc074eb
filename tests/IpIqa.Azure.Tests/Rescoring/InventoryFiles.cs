using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Parquet;
using Parquet.Schema;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>Writes an Azure Blob Inventory run the way the service lays it out: <c>RUN/RULE/RULE_N.csv|parquet</c>, <c>RULE-manifest.json</c>, then <c>RULE-manifest.checksum</c>.</summary>
internal static class InventoryFiles
{
    public static readonly string[] Fields = ["Name", "Creation-Time", "Last-Modified", "Etag", "Content-Length", "Metadata"];

    /// <summary>One report row: <c>container/blob</c>, size, ETag and the metadata as JSON.</summary>
    public sealed record Row(string Name, long Size, string Etag, string Metadata);

    /// <summary>The rows inventory would write for every blob of <paramref name="container"/>, in name order.</summary>
    public static async Task<List<Row>> RowsOf(BlobContainerClient container)
    {
        var rows = new List<Row>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            rows.Add(new Row($"{container.Name}/{blob.Name}", blob.Properties.ContentLength ?? 0, blob.Properties.ETag.ToString()!, JsonSerializer.Serialize(blob.Metadata)));
        }

        return rows;
    }

    /// <summary>Writes a run under <paramref name="run"/> (for example <c>2026/12/07/01-00-00</c>) with the rows split into <paramref name="files"/> report files.</summary>
    public static async Task<string> WriteRun(
        BlobContainerClient inventory, string run, IReadOnlyList<Row> rows, string format = "csv", int files = 2, bool complete = true,
        string status = "Succeeded", string[]? fields = null, string[]? prefixMatch = null, Func<string, string>? editManifest = null)
    {
        await inventory.CreateIfNotExistsAsync();
        const string rule = "gallery-daily";
        var entries = new List<object>();
        var per = (rows.Count + files - 1) / Math.Max(files, 1);
        for (var i = 0; i < files; i++)
        {
            var blob = $"{run}/{rule}/{rule}_{i + 1}.{format}";
            var part = rows.Skip(i * per).Take(per).ToList();
            var bytes = format == "parquet" ? await Parquet(part) : Encoding.UTF8.GetBytes(Csv(part));
            await inventory.GetBlobClient(blob).UploadAsync(new BinaryData(bytes), overwrite: true);
            entries.Add(new { blob, size = bytes.Length });
        }

        var manifest = JsonSerializer.Serialize(new
        {
            destinationContainer = inventory.Name,
            endpoint = inventory.Uri.GetLeftPart(UriPartial.Authority),
            files = entries,
            inventoryCompletionTime = "2026-12-07T01:30:00Z",
            inventoryStartTime = "2026-12-07T01:00:00Z",
            ruleDefinition = new
            {
                filters = new { blobTypes = new[] { "blockBlob" }, prefixMatch = prefixMatch ?? [], includeSnapshots = false, includeBlobVersions = false },
                format,
                objectType = "blob",
                schedule = "daily",
                schemaFields = fields ?? Fields,
            },
            ruleName = rule,
            status,
            summary = new { objectCount = rows.Count, totalObjectSize = rows.Sum(r => r.Size) },
            version = "1.0",
        });
        manifest = editManifest?.Invoke(manifest) ?? manifest;
        var manifestName = $"{run}/{rule}/{rule}-manifest.json";
        await inventory.GetBlobClient(manifestName).UploadAsync(BinaryData.FromString(manifest), overwrite: true);
        if (complete)
        {
            var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(manifest)));
            await inventory.GetBlobClient($"{run}/{rule}/{rule}-manifest.checksum").UploadAsync(BinaryData.FromString(md5), overwrite: true);
        }

        return manifestName;
    }

    public static string Csv(IEnumerable<Row> rows)
    {
        var text = new StringBuilder("Name,Creation-Time,Last-Modified,Etag,Content-Length,Metadata\n");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Quote(row.Name)},2026-12-01T00:00:00Z,2026-12-01T00:00:00Z,{row.Etag},{row.Size},{Quote(row.Metadata)}\n");
        }

        return text.ToString();
    }

    private static string Quote(string field) => $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task<byte[]> Parquet(IReadOnlyList<Row> rows)
    {
        var name = new DataField<string>("Name");
        var size = new DataField<long?>("Content-Length");
        var etag = new DataField<string>("Etag");
        var metadata = new DataField<string>("Metadata");
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(name, size, etag, metadata), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(name, rows.Select(r => r.Name).ToArray());
            await group.WriteAsync<long>(size, rows.Select(r => (long?)r.Size).ToArray());
            await group.WriteAsync(etag, rows.Select(r => r.Etag).ToArray());
            await group.WriteAsync(metadata, rows.Select(r => r.Metadata).ToArray());
            group.CompleteValidate();
        }

        return stream.ToArray();
    }
}
